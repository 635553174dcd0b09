// Browse documents, entities or claims: facets (each with the count choosing it would give), sorting,
// pages, and downloads of exactly the rows listed. The choices live in the URL, so a view can be shared.
import { getJSON, query } from './api.js';
import {
  $, attribution, clear, confidenceText, documentHref, el, entityHref, errorText, human, initPage, reviewBadge,
  stanceBadge, typeBadge,
} from './ui.js';

const root = $('#browse');
const kind = root.getAttribute('data-kind');
const LIMIT = 50;
const FACETS = {
  documents: ['publisher', 'year'],
  entities: ['type', 'country', 'review_status'],
  claims: ['predicate', 'stance', 'tactic', 'review_status', 'type', 'country', 'publisher'],
};
const SORTS = {
  documents: [['-published', 'newest published'], ['published', 'oldest published'], ['title', 'title'],
    ['publisher', 'publisher'], ['-claims', 'most claims'], ['-entities', 'most entities'],
    ['-ingested', 'last added']],
  entities: [['-documents', 'most documents'], ['-claims', 'most claims'], ['name', 'name'], ['type', 'type'],
    ['country', 'country'], ['-created', 'last added']],
  claims: [['-documents', 'most sources'], ['-publishers', 'most publishers'], ['-confidence', 'most confident'],
    ['confidence', 'least confident'], ['-last_seen', 'latest'], ['first_seen', 'earliest'],
    ['predicate', 'predicate'], ['-id', 'last added']],
};
const FIELDS = ['q', 'since', 'until', 'min_sources', 'sort', ...FACETS[kind]];
const state = new URLSearchParams(window.location.search);
const form = $('#browse-form');
const sortSelect = $('#b-sort');

function params(extra = {}) {
  const out = {};
  for (const key of FIELDS) if (state.get(key)) out[key] = state.get(key);
  if (kind === 'documents' && out.year) { // a year chosen is a date range
    out.since = `${out.year}-01-01`;
    out.until = `${out.year}-12-31`;
    delete out.year;
  }
  return { ...out, limit: LIMIT, offset: parseInt(state.get('offset') || '0', 10) || 0, ...extra };
}

function go(changes) {
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') state.delete(key);
    else state.set(key, String(value));
  }
  if (!('offset' in changes)) state.delete('offset');
  const qs = state.toString();
  window.history.pushState(null, '', `/${kind}${qs ? `?${qs}` : ''}`);
  load();
}

function facetList(name, counts) {
  const chosen = state.get(name);
  const list = el('ul', { class: 'facet-values' });
  const entries = Object.entries(counts || {});
  if (chosen && !(chosen in (counts || {}))) entries.unshift([chosen, 0]);
  for (const [value, n] of entries.slice(0, 30)) {
    const on = value === chosen;
    const b = el('button', { type: 'button', class: 'facet-value', 'aria-pressed': on ? 'true' : 'false',
      'data-facet': name, 'data-value': value }, name === 'year' || name === 'country' ? value : human(value),
    ' ', el('span', { class: 'count' }, String(n)));
    b.addEventListener('click', () => go({ [name]: on ? null : value }));
    list.append(el('li', {}, b));
  }
  if (!entries.length) list.append(el('li', { class: 'muted small' }, 'none'));
  return el('section', { class: 'facet', 'data-facet': name }, el('h3', {}, human(name)), list);
}

const cell = (...children) => el('td', {}, ...children);

function row(item) {
  if (kind === 'documents') {
    return el('tr', { 'data-id': item.id },
      cell(el('a', { href: documentHref(item.id) }, item.title || item.key)), cell(item.publisher || '—'),
      cell(item.published || 'unknown'), cell(String(item.claims)), cell(String(item.entities)));
  }
  if (kind === 'entities') {
    return el('tr', { 'data-id': item.id },
      cell(el('a', { href: entityHref(item.id) }, item.name)), cell(typeBadge(item.type)), cell(item.country || '—'),
      cell(String(item.documents)), cell(String(item.claims)), cell(reviewBadge(item.review_status)));
  }
  return el('tr', { 'data-id': item.id },
    cell(stanceBadge(item.stance), ' ', el('a', { href: entityHref(item.subject_id) }, item.subject), ' ',
      el('span', { class: 'pred' }, human(item.predicate)), ' ', el('a', { href: entityHref(item.object_id) }, item.object),
      item.sources && item.sources.length ? el('div', { class: 'small' }, el('a', {
        href: item.sources[0].document_id ? documentHref(item.sources[0].document_id, item.id) : `/graph?entity=${item.subject_id}`,
      }, 'evidence')) : null),
    cell(el('span', { class: 'small' }, attribution(item) || '—')), cell(item.tactic ? human(item.tactic) : '—'),
    cell(String(item.documents)), cell(item.first_seen || '—'), cell(reviewBadge(item.review_status)),
    cell(el('span', { class: 'small muted' }, confidenceText(item.confidence))));
}

const HEADS = {
  documents: ['Title', 'Publisher', 'Published', 'Claims', 'Entities'],
  entities: ['Name', 'Type', 'Country', 'Documents', 'Claims', 'Review'],
  claims: ['Claim (stance)', 'Who says it', 'Tactic', 'Sources', 'First seen', 'Review', 'Confidence'],
};

function downloads(total) {
  const box = clear($('#downloads'));
  const p = params();
  for (const fmt of ['csv', 'jsonl']) {
    box.append(el('a', { class: 'button', download: '', 'data-export': `page-${fmt}`,
      href: `/api/browse/${kind}/export${query({ ...p, format: fmt })}` }, `This page (${fmt.toUpperCase()})`), ' ');
  }
  for (const fmt of ['csv', 'jsonl']) {
    box.append(el('a', { class: 'button', download: '', 'data-export': `all-${fmt}`,
      href: `/api/browse/${kind}/export${query({ ...p, offset: 0, limit: Math.min(Math.max(total, 1), 100000), format: fmt })}`,
    }, `All ${total} (${fmt.toUpperCase()})`), ' ');
  }
}

async function load() {
  const status = $('#browse-status');
  status.textContent = 'Loading…';
  for (const input of form.querySelectorAll('input[name]')) input.value = state.get(input.name) || '';
  sortSelect.value = state.get('sort') || SORTS[kind][0][0];
  try {
    const p = params();
    const r = await getJSON(`/api/browse/${kind}`, p);
    const facets = clear($('#facets'));
    for (const name of FACETS[kind]) facets.append(facetList(name, r.facets[name]));
    const table = clear($('#browse-table'));
    table.append(el('thead', {}, el('tr', {}, HEADS[kind].map((h) => el('th', { scope: 'col' }, h)))));
    const body = el('tbody');
    for (const item of r.items) body.append(row(item));
    table.append(body);
    const first = r.total ? p.offset + 1 : 0;
    const last = p.offset + r.items.length;
    status.textContent = `${r.total} ${kind}${r.total ? ` · ${first}–${last}` : ''}`;
    $('#page-info').textContent = `page ${Math.floor(p.offset / LIMIT) + 1} of ${Math.max(1, Math.ceil(r.total / LIMIT))}`;
    $('#prev').disabled = p.offset <= 0;
    $('#next').disabled = last >= r.total;
    downloads(r.total);
    root.setAttribute('data-ready', '1');
  } catch (err) {
    status.textContent = errorText(err);
    root.setAttribute('data-ready', 'error');
  }
}

for (const [value, label] of SORTS[kind]) sortSelect.append(el('option', { value }, label));
sortSelect.addEventListener('change', () => go({ sort: sortSelect.value }));
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const changes = {};
  for (const input of form.querySelectorAll('input[name]')) changes[input.name] = input.value.trim();
  go(changes);
});
$('#prev').addEventListener('click', () => go({ offset: Math.max(0, params().offset - LIMIT) }));
$('#next').addEventListener('click', () => go({ offset: params().offset + LIMIT }));
window.addEventListener('popstate', () => {
  for (const key of [...state.keys()]) state.delete(key);
  for (const [k, v] of new URLSearchParams(window.location.search)) state.set(k, v);
  load();
});
initPage();
load();
