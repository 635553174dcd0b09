// Timeline: claims by the month of their date (event, else published), as SVG bars stacked by stance; click a bar to list
// its claims, each linking to the document holding its evidence.
import { getJSON } from './api.js';
import {
  $, HEADLINES, attribution, claimDocumentIds, clear, documentHref, el, entityHref, entityPicker, errorText, filterControls, human, initPage, stanceBadge, svg,
} from './ui.js';

const status = $('#timeline-status');
const chart = $('#timeline');
const listing = $('#month-claims');
const params = new URLSearchParams(window.location.search);
let actor = params.get('actor') || '';

const filters = filterControls($('#timeline-filters'), { prefix: 't', legend: 'Filter claims',
  fields: ['tactic', 'stance', 'predicate', 'min_sources'] });
filters.onChange(load);
const picker = entityPicker($('#actor-picker'), 'Actor (subject or object)', (e) => {
  actor = String(e.id);
  load();
}, { id: 'actor' });
$('#actor-clear').addEventListener('click', () => {
  actor = '';
  picker.element.querySelector('.picked').textContent = '';
  load();
});

function months(items) {
  const by = new Map();
  for (const it of items) {
    const m = /^(\d{4})-(\d{2})/.exec(it.date || '');
    if (!m) continue;
    const key = `${m[1]}-${m[2]}`;
    if (!by.has(key)) by.set(key, []);
    by.get(key).push(it);
  }
  if (!by.size) return [];
  const keys = [...by.keys()].sort();
  let [y, mo] = keys[0].split('-').map(Number);
  const [ly, lm] = keys[keys.length - 1].split('-').map(Number);
  const out = [];
  while (y < ly || (y === ly && mo <= lm)) { // every month in the range, empty ones too
    const key = `${y}-${String(mo).padStart(2, '0')}`;
    out.push({ key, items: by.get(key) || [] });
    mo += 1;
    if (mo > 12) { mo = 1; y += 1; }
  }
  return out;
}

function draw(data) {
  clear(chart);
  if (!data.length) {
    chart.append(el('p', { class: 'muted' }, 'No dated claim with these filters.'));
    return;
  }
  const H = 220;
  const top = 10;
  const bottom = 30;
  const bw = Math.max(6, Math.min(36, Math.floor(940 / data.length) - 2));
  const W = Math.max(960, data.length * (bw + 2) + 40);
  const max = Math.max(...data.map((d) => d.items.length));
  const scale = (H - top - bottom) / max;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'bars', role: 'group',
    'aria-label': `Claims per month, ${data[0].key} to ${data[data.length - 1].key}` });
  root.append(svg('line', { x1: 30, x2: W - 5, y1: H - bottom, y2: H - bottom, class: 'axis' }),
    svg('text', { x: 26, y: top + 8, 'text-anchor': 'end', class: 'tick' }, String(max)),
    svg('text', { x: 26, y: H - bottom, 'text-anchor': 'end', class: 'tick' }, '0'));
  data.forEach((d, i) => {
    const x = 35 + i * (bw + 2);
    if (d.key.endsWith('-01') || i === 0) {
      root.append(svg('text', { x, y: H - bottom + 16, class: 'tick' }, d.key.slice(0, 4)));
    }
    if (!d.items.length) return;
    const g = svg('g', { class: 'bar', tabindex: 0, role: 'button', 'data-month': d.key,
      'aria-label': `${d.key}: ${d.items.length} claim(s)` }, svg('title', {}, `${d.key}: ${d.items.length} claim(s)`));
    let y = H - bottom;
    for (const s of HEADLINES) {
      const n = d.items.filter((it) => it.stance === s).length;
      if (!n) continue;
      const h = n * scale;
      y -= h;
      g.append(svg('rect', { x, y: y.toFixed(1), width: bw, height: h.toFixed(1), class: `seg stance-${s}` }));
    }
    const open = () => show(d);
    g.addEventListener('click', open);
    g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
    root.append(g);
  });
  chart.append(el('div', { class: 'bars-scroll' }, root),
    el('p', { class: 'legend small' }, ...HEADLINES.map((s) => el('span', { class: 'legend-item' },
      el('span', { class: `swatch seg stance-${s}`, 'aria-hidden': 'true' }), ` ${s} `))));
}

function show(month) {
  for (const b of chart.querySelectorAll('.bar.current')) b.classList.remove('current');
  const bar = chart.querySelector(`.bar[data-month="${month.key}"]`);
  if (bar) bar.classList.add('current');
  clear(listing);
  listing.append(el('li', { class: 'muted' }, `${month.key}: ${month.items.length} claim(s)`));
  for (const it of month.items) {
    const link = el('a', { href: '#', class: 'claim-link' }, 'document');
    const who = (name, id, cls) => (id ? el('a', { class: cls, href: entityHref(id) }, name) : el('span', { class: cls }, name));
    listing.append(el('li', { class: 'claim-row' }, stanceBadge(it.stance), ' ', who(it.subject, it.subject_id, 'subj'),
      ' ', el('span', { class: 'pred' }, human(it.predicate)), ' ', who(it.object, it.object_id, 'obj'), ' ',
      it.tactic ? el('span', { class: 'badge tactic' }, human(it.tactic)) : null,
      attribution(it) ? el('span', { class: 'attr small' }, ` ${attribution(it)}`) : null,
      el('span', { class: 'muted small' }, ` · ${it.date} (${it.date_source === 'event' ? 'event date' : 'published'}) · `),
      link));
    claimDocumentIds(it.claim_id).then((ids) => {
      if (ids.length) link.setAttribute('href', documentHref(ids[0], it.claim_id));
    });
  }
  if (month.items.length === 1) {
    // A single claim: go straight to its document once we know where it is.
    claimDocumentIds(month.items[0].claim_id).then((ids) => {
      if (ids.length) window.location.assign(documentHref(ids[0], month.items[0].claim_id));
    });
  }
}

async function load() {
  status.textContent = 'Loading…';
  clear(listing);
  try {
    const r = await getJSON('/api/timeline', { actor, ...filters.params() });
    const data = months(r.items || []);
    draw(data);
    const n = (r.items || []).length;
    status.textContent = `${n} claim(s)${actor ? ' involving the chosen actor' : ''}.`;
    document.body.setAttribute('data-timeline-ready', '1');
  } catch (err) {
    status.textContent = errorText(err);
  }
}

initPage();
if (actor) {
  getJSON(`/api/entities/${encodeURIComponent(actor)}`).then((e) => picker.set(e)).catch(() => load());
} else {
  load();
}
