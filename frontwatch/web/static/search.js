// Search page: entities, claims and documents matching a query; export buttons with filters.
import { getJSON } from './api.js';
import {
  $, append, claimDocumentIds, clear, documentHref, el, entityHref, errorText, exportLinks, filterControls, human, initPage,
  sourceLink, stanceBadge, typeBadge,
} from './ui.js';

const form = $('#search-form');
const input = $('#q');
const status = $('#search-status');

function entityItem(e) {
  const li = el('li', {}, el('a', { href: entityHref(e.id) }, e.name), ' ', typeBadge(e.type));
  const aliases = (e.aliases || []).filter((a) => a !== e.name);
  if (aliases.length) li.append(el('div', { class: 'muted small' }, `also: ${aliases.slice(0, 6).join(', ')}`));
  return li;
}

function claimItem(c) {
  const link = el('a', { href: '#', class: 'claim-link', 'aria-disabled': 'true' }, 'evidence');
  const li = el('li', { class: 'claim-row' },
    stanceBadge(c.stance), ' ', el('span', { class: 'subj' }, c.subject), ' ',
    el('span', { class: 'pred' }, human(c.predicate)), ' ', el('span', { class: 'obj' }, c.object), ' · ', link);
  if (c.snippet) li.append(el('div', { class: 'snippet' }, c.snippet));
  // The evidence lives in documents: find where, then link to the claim's anchor there.
  claimDocumentIds(c.id).then((ids) => {
    if (ids.length) {
      link.setAttribute('href', documentHref(ids[0], c.id));
      link.removeAttribute('aria-disabled');
      if (ids.length > 1) li.insertBefore(el('span', { class: 'muted' }, ` (${ids.length} documents)`), link.nextSibling);
    }
  });
  return li;
}

function documentItem(d) {
  const li = el('li', {}, el('a', { href: documentHref(d.id) }, d.title || d.key || `document ${d.id}`));
  const meta = [d.publisher, d.key].filter(Boolean).join(' · ');
  if (meta) li.append(el('div', { class: 'muted small' }, meta));
  const link = sourceLink(d.url);
  if (link) li.append(el('div', { class: 'small' }, link));
  if (d.snippet) li.append(el('div', { class: 'snippet' }, d.snippet));
  return li;
}

function fill(list, items, render, none) {
  clear(list);
  if (!items || !items.length) list.append(el('li', { class: 'muted' }, none));
  else append(list, items.map(render));
}

async function search(q, push) {
  if (push) {
    const url = new URL(window.location.href);
    url.searchParams.set('q', q);
    window.history.replaceState(null, '', url);
  }
  status.textContent = 'Searching…';
  try {
    const r = await getJSON('/api/search', { q, limit: 20 });
    const n = (r.entities || []).length + (r.claims || []).length + (r.documents || []).length;
    status.textContent = `${n} result(s) for “${q}”.`;
    fill($('#entities'), r.entities, entityItem, 'No entity.');
    fill($('#claims'), r.claims, claimItem, 'No claim.');
    fill($('#documents'), r.documents, documentItem, 'No document.');
  } catch (err) {
    status.textContent = errorText(err);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const q = input.value.trim();
  if (q) search(q, true);
});

const filters = filterControls($('#export-filters'), { prefix: 'x', legend: 'Which claims to export' });
const update = exportLinks($('#export-links'), filters.params);
filters.onChange(update);

initPage();
const initial = new URLSearchParams(window.location.search).get('q');
if (initial) {
  input.value = initial;
  search(initial, false);
} else {
  status.textContent = 'Type a name, a phrase or a word from a document.';
}
