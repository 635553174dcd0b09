// World map: Natural Earth outlines (world-atlas TopoJSON) drawn with d3-geo as SVG, located entities as
// markers grouped on a screen grid at the current zoom; drag to pan, wheel or buttons to zoom.
import { getJSON } from './api.js';
import {
  $, claimDocumentIds, clear, documentHref, el, entityHref, errorText, human, initPage, stanceBadge, svg, typeBadge,
} from './ui.js';

const { d3, topojson } = window;
const W = 960;
const H = 500;
const CELL = 30; // screen px of one clustering cell
const view = { k: 1, x: 0, y: 0 };
const status = $('#map-status');
const projection = d3.geoNaturalEarth1().fitExtent([[8, 8], [W - 8, H - 8]], { type: 'Sphere' });
const path = d3.geoPath(projection);
let places = [];

const ALIASES = { // store names -> Natural Earth 110m names
  'united states': 'united states of america', usa: 'united states of america', 'czech republic': 'czechia',
  'democratic republic of the congo': 'dem. rep. congo', 'dominican republic': 'dominican rep.',
  'bosnia and herzegovina': 'bosnia and herz.', 'central african republic': 'central african rep.',
  'south sudan': 's. sudan', 'north korea': 'north korea', 'ivory coast': "côte d'ivoire",
  'eswatini': 'eswatini', 'uk': 'united kingdom', 'great britain': 'united kingdom',
};
const norm = (s) => String(s || '').trim().toLowerCase();

const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'world', role: 'group', 'aria-label': 'World map' });
const stage = svg('g', { class: 'stage' });
const markers = svg('g', { class: 'markers' });
root.append(stage, markers);
$('#map').append(root);

function drawWorld(topo, countries) {
  const byName = new Map(countries.map((c) => [norm(c.name), c]));
  const max = Math.max(1, ...countries.map((c) => c.claims || 0));
  stage.append(svg('path', { class: 'sphere', d: path({ type: 'Sphere' }) }));
  stage.append(svg('path', { class: 'graticule', d: path(d3.geoGraticule10()) }));
  const land = topojson.feature(topo, topo.objects.countries);
  for (const f of land.features) {
    const name = f.properties && f.properties.name;
    const info = byName.get(norm(name)) || byName.get(ALIASES[norm(name)])
      || [...byName.entries()].find(([k]) => ALIASES[k] === norm(name))?.[1];
    const shape = svg('path', { d: path(f) || '', class: 'country' }, svg('title', {},
      info ? `${name}: ${info.claims || 0} claim(s)` : name));
    if (info) {
      const level = Math.min(5, 1 + Math.floor((4 * (info.claims || 0)) / max));
      shape.setAttribute('class', `country known level-${level}`);
      stage.append(svg('a', { href: entityHref(info.entity_id), 'aria-label': `${info.name}: ${info.claims} claims` },
        shape));
    } else {
      stage.append(shape);
    }
  }
  stage.append(svg('path', { class: 'borders', d: path(topojson.mesh(topo, topo.objects.countries, (a, b) => a !== b)) }));
}

function apply() {
  stage.setAttribute('transform', `translate(${view.x} ${view.y}) scale(${view.k})`);
  root.classList.toggle('zoomed', view.k > 1.01);
  drawMarkers();
}

// A place located only by a located_in claim says so, with that claim's stance.
const locatedBy = (p) => (p.claim_id ? ` — located by a claim (${p.stance || 'stance unknown'})` : '');

// Group markers that fall in one grid cell at this zoom; a group is a circle with its size.
function drawMarkers() {
  clear(markers);
  const cells = new Map();
  for (const p of places) {
    const at = projection([p.lon, p.lat]);
    if (!at) continue;
    const sx = at[0] * view.k + view.x;
    const sy = at[1] * view.k + view.y;
    if (sx < -20 || sy < -20 || sx > W + 20 || sy > H + 20) continue;
    const key = `${Math.floor(sx / CELL)},${Math.floor(sy / CELL)}`;
    if (!cells.has(key)) cells.set(key, { x: 0, y: 0, items: [] });
    const c = cells.get(key);
    c.x += sx; c.y += sy; c.items.push(p);
  }
  // Neighbouring cells whose groups would overlap on screen become one group.
  const groups = [];
  for (const c of [...cells.values()].sort((a, b) => b.items.length - a.items.length)) {
    const cx = c.x / c.items.length;
    const cy = c.y / c.items.length;
    const near = groups.find((g) => Math.hypot(g.x / g.items.length - cx, g.y / g.items.length - cy) < CELL);
    if (near) {
      near.x += c.x; near.y += c.y; near.items.push(...c.items);
    } else {
      groups.push(c);
    }
  }
  for (const c of groups) {
    const n = c.items.length;
    const x = c.x / n;
    const y = c.y / n;
    if (n === 1) {
      const p = c.items[0];
      const label = `${p.name} (${human(p.type)})${p.country ? `, ${p.country}` : ''}${locatedBy(p)}`;
      markers.append(svg('a', { href: entityHref(p.entity_id), class: 'marker', 'aria-label': label },
        svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 5,
          class: `dot type-${p.type}${p.claim_id ? ` by-claim stance-${p.stance}` : ''}` }),
        svg('title', {}, label)));
    } else {
      const names = c.items.slice(0, 12).map((p) => p.name).join(', ') + (n > 12 ? ', …' : '');
      const group = svg('g', { class: 'cluster', tabindex: 0, role: 'button',
        'aria-label': `${n} entities: ${names}. Zoom in` },
      svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: (8 + 3 * Math.log2(n)).toFixed(1) }),
      svg('text', { x: x.toFixed(1), y: (y + 4).toFixed(1), 'text-anchor': 'middle' }, String(n)),
      svg('title', {}, `${n} entities: ${names}`));
      const go = () => zoomAt(x, y, 2.5);
      group.addEventListener('click', go);
      group.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
      markers.append(group);
    }
  }
}

function zoomAt(sx, sy, factor) {
  const k = Math.max(1, Math.min(64, view.k * factor));
  const f = k / view.k;
  view.x = sx - (sx - view.x) * f;
  view.y = sy - (sy - view.y) * f;
  view.k = k;
  clamp();
  apply();
}

function clamp() {
  // Keep some of the world in view.
  view.x = Math.min(W * 0.5, Math.max(W * 0.5 - W * view.k, view.x));
  view.y = Math.min(H * 0.5, Math.max(H * 0.5 - H * view.k, view.y));
  if (view.k === 1) { view.x = 0; view.y = 0; }
}

function toView(evt) {
  const r = root.getBoundingClientRect();
  return [((evt.clientX - r.left) * W) / r.width, ((evt.clientY - r.top) * H) / r.height];
}

let drag = null;
root.addEventListener('pointerdown', (evt) => {
  if (evt.button !== 0 || evt.target.closest('a, .cluster')) return;
  drag = { at: toView(evt), x: view.x, y: view.y };
  root.setPointerCapture(evt.pointerId);
  root.classList.add('dragging');
});
root.addEventListener('pointermove', (evt) => {
  if (!drag) return;
  const [x, y] = toView(evt);
  view.x = drag.x + x - drag.at[0];
  view.y = drag.y + y - drag.at[1];
  clamp();
  apply();
});
const stop = () => { drag = null; root.classList.remove('dragging'); };
root.addEventListener('pointerup', stop);
root.addEventListener('pointercancel', stop);
root.addEventListener('wheel', (evt) => {
  evt.preventDefault();
  const [x, y] = toView(evt);
  zoomAt(x, y, evt.deltaY < 0 ? 1.25 : 0.8);
}, { passive: false });
$('#zoom-in').addEventListener('click', () => zoomAt(W / 2, H / 2, 1.6));
$('#zoom-out').addEventListener('click', () => zoomAt(W / 2, H / 2, 1 / 1.6));
$('#zoom-reset').addEventListener('click', () => { view.k = 1; clamp(); apply(); });

function lists(data) {
  const list = $('#places');
  clear(list);
  for (const p of [...data.places].sort((a, b) => a.name.localeCompare(b.name))) {
    const li = el('li', {}, el('a', { href: entityHref(p.entity_id) }, p.name), ' ', typeBadge(p.type),
      p.country ? el('span', { class: 'muted small' }, ` ${p.country}`) : null);
    if (p.claim_id) {
      const link = el('a', { class: 'small' }, 'the claim that locates it');
      li.append(' ', stanceBadge(p.stance), ' ', link);
      claimDocumentIds(p.claim_id).then((ids) => {
        if (ids.length) link.setAttribute('href', documentHref(ids[0], p.claim_id));
      });
    }
    list.append(li);
  }
  if (!data.places.length) list.append(el('li', { class: 'muted' }, 'No located entity.'));
  const countries = $('#countries');
  clear(countries);
  for (const c of [...data.countries].sort((a, b) => (b.claims || 0) - (a.claims || 0))) {
    countries.append(el('li', {}, el('a', { href: entityHref(c.entity_id) }, c.name),
      el('span', { class: 'muted small' }, ` ${c.claims || 0} claim(s)`)));
  }
  if (!data.countries.length) countries.append(el('li', { class: 'muted' }, 'No country.'));
}

async function load() {
  status.textContent = 'Loading…';
  try {
    const [topo, data] = await Promise.all([
      fetch('/vendor/world-atlas/countries-110m.json').then((r) => {
        if (!r.ok) throw new Error(`world outlines missing (${r.status}); run npm ci`);
        return r.json();
      }),
      getJSON('/api/places'),
    ]);
    places = (data.places || []).filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
    drawWorld(topo, data.countries || []);
    apply();
    lists({ places: data.places || [], countries: data.countries || [] });
    status.textContent = `${places.length} located entities, ${(data.countries || []).length} countries.`;
    document.body.setAttribute('data-map-ready', '1');
  } catch (err) {
    status.textContent = errorText(err);
    document.body.setAttribute('data-map-ready', 'error');
  }
}

initPage();
load();
