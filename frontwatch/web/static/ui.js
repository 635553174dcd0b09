// DOM helpers shared by the pages. Data only ever goes in through textContent and setAttribute.
import { canWrite, getJSON, me, query } from './api.js';

export const PREDICATES = ['controls', 'affiliated_with', 'funds', 'supports', 'meets', 'recruits', 'targets',
  'interferes_in', 'located_in', 'investigates'];
export const STANCES = ['asserted', 'alleged', 'denied'];
// a claim's headline stance: contested when one source denies what another asserts or alleges
export const HEADLINES = [...STANCES, 'contested'];
export const TACTICS = ['covert_funding', 'political_influence', 'disinformation', 'intimidation', 'forced_return',
  'covert_policing', 'espionage', 'illicit_finance', 'countermeasure'];
export const ENTITY_TYPES = ['person', 'state_body', 'diplomatic_mission', 'overseas_station', 'organization',
  'country', 'place'];
export const EXPORT_FORMATS = ['stix', 'ftm', 'gexf', 'graphml', 'csv', 'jsonl'];

const STANCE_HELP = {
  asserted: 'a source states this in its own voice',
  alleged: 'a source reports someone alleging this; not established',
  denied: 'a source reports a denial',
  contested: 'sources disagree: one denies what another asserts or alleges',
};

// el('a', {href: '/x', class: 'y'}, 'text', child) — attributes via setAttribute, strings as text nodes.
export function el(tag, attrs, ...children) {
  const node = tag.includes(':')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.split(':')[1])
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, ...children);
  return node;
}

export function svg(tag, attrs, ...children) {
  return el(`svg:${tag}`, attrs, ...children);
}

export function append(node, ...children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

// A URL we may link to: only http and https, anything else (javascript:, data:, ...) gives null.
export function safeUrl(url) {
  if (typeof url !== 'string' || !url) return null;
  try {
    const parsed = new URL(url, window.location.origin);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    if (!/^https?:/i.test(url.trim())) return null; // relative forms are not source URLs
    return parsed.href;
  } catch {
    return null;
  }
}

// An external link to a source, or the plain URL as text when its scheme is not http(s).
export function sourceLink(url, label) {
  const href = safeUrl(url);
  if (!href) return url ? el('span', { class: 'unsafe-url', title: 'not an http(s) link' }, String(url)) : null;
  return el('a', { href, rel: 'noopener noreferrer nofollow', target: '_blank', class: 'external' }, label || href);
}

export function documentHref(doc, claimId) {
  const base = `/documents/${encodeURIComponent(String(doc))}`;
  return claimId === undefined || claimId === null ? base : `${base}#claim-${claimId}`;
}

export const entityHref = (id) => `/entities/${encodeURIComponent(String(id))}`;

export function stanceBadge(stance) {
  const s = HEADLINES.includes(stance) ? stance : 'unknown';
  return el('span', { class: `badge stance stance-${s}`, title: STANCE_HELP[s] || 'stance unknown' }, stance || '?');
}

// The extractor's confidence (0 to 1) in a claim or one of its sentences; claims the rules find have 1.
export function confidenceText(value) {
  const n = Number(value);
  return Number.isFinite(n) ? `confidence ${n.toFixed(2)}` : '';
}

export function confidenceBadge(value) {
  const text = confidenceText(value);
  if (!text) return null;
  return el('span', { class: 'badge confidence', title: 'how sure the extractor is that the sentence makes '
    + 'this claim (0 to 1; not whether the claim is true)' }, text);
}

export function typeBadge(type) {
  const t = ENTITY_TYPES.includes(type) ? type : 'unknown';
  return el('span', { class: `badge etype type-${t}` }, (type || 'unknown').replace(/_/g, ' '));
}

export function reviewBadge(status) {
  return el('span', { class: `badge review review-${status || 'pending'}` }, status || 'pending');
}

export function human(word) {
  return String(word || '').replace(/_/g, ' ');
}

export function message(container, text, kind = 'info') {
  const p = el('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
  clear(container).append(p);
  return p;
}

export function errorText(err) {
  if (err && err.status === 401) return 'Log in to read this workbench.';
  if (err && err.status === 403) return `Not allowed: ${err.message}. Log in as an analyst to make changes.`;
  return err && err.message ? err.message : String(err);
}

// "asserted by 1; alleged by 3 (CSIS, RCMP); denied by 1 (the embassy); only alleged in 2 document(s)" —
// every stance its sources take, with who, for one claim (counts where the view gives them).
export function attribution(claim) {
  const parts = [];
  const counts = claim.stance_counts || {};
  const who = { asserted: claim.asserted_by || [], alleged: claim.alleged_by || [], denied: claim.denied_by || [] };
  for (const s of STANCES) {
    const n = counts[s];
    const names = who[s].length ? who[s].join(', ') : '';
    if (n) parts.push(`${s} by ${n}${names ? ` (${names})` : ''}`);
    else if (names) parts.push(`${s} by ${names}`);
  }
  if (claim.alleged_only_in && claim.alleged_only_in.length) {
    parts.push(`only alleged in ${claim.alleged_only_in.length} document(s)`);
  }
  return parts.join('; ');
}

// One source of a claim: who says it, with what stance, the sentence, and the document link.
export function sourceItem(src, claimId, docId) {
  const li = el('li', { class: 'source' });
  const link = el('a', { class: 'doc-link', 'data-document': src.document || '' },
    src.title || src.document || 'document');
  if (docId) link.setAttribute('href', documentHref(docId, claimId));
  append(li,
    stanceBadge(src.stance), ' ', link,
    src.confidence !== undefined ? el('span', { class: 'muted' }, ` · ${confidenceText(src.confidence)}`) : null,
    src.publisher ? el('span', { class: 'muted' }, ` · ${src.publisher}`) : null,
    /^\d{4}/.test(src.date || '') ? el('span', { class: 'muted' }, ` · ${src.date}`) : null,
    src.attributed_to ? el('span', { class: 'attr' }, ` · attributed to ${src.attributed_to}`) : null);
  const evidence = src.evidence || src.sentence;
  if (evidence) li.append(el('blockquote', { class: 'evidence' }, evidence));
  const external = sourceLink(src.url, 'original source');
  if (external) li.append(el('div', { class: 'muted small' }, 'URL: ', external));
  return li;
}

// Document ids for a claim's sources. The sources name documents by key; GET /api/claims/{id} gives
// the ids (ascending, i.e. in ingest order), so keys in order of first evidence map onto them.
export function documentIdsByKey(sources, ids) {
  const out = new Map();
  const keys = [...new Set(sources.map((s) => s.document))];
  keys.forEach((key, i) => out.set(key, ids.length === keys.length ? ids[i] : ids[Math.min(i, ids.length - 1)]));
  return out;
}

const claimDocs = new Map();
export function claimDocumentIds(claimId) {
  if (!claimDocs.has(claimId)) {
    claimDocs.set(claimId, getJSON(`/api/claims/${encodeURIComponent(claimId)}`)
      .then((c) => c.document_ids || []).catch(() => []));
  }
  return claimDocs.get(claimId);
}

function linkSources(list, claim, ids) {
  const byKey = documentIdsByKey(claim.sources || [], ids);
  for (const a of list.querySelectorAll('a.doc-link:not([href])')) {
    const id = byKey.get(a.getAttribute('data-document'));
    if (id) a.setAttribute('href', documentHref(id, claim.id));
  }
}

// A period as a reader says it: "2022" (a whole year), "2022-06" (a whole month), else "first to last".
export function periodText(first, last) {
  const end = last || first;
  if (end === first) return first;
  if (first.endsWith('-01-01') && end.endsWith('-12-31')) {
    return first.slice(0, 4) === end.slice(0, 4) ? first.slice(0, 4) : `${first.slice(0, 4)} to ${end.slice(0, 4)}`;
  }
  const monthEnd = new Date(Date.UTC(Number(end.slice(0, 4)), Number(end.slice(5, 7)), 0)).getUTCDate();
  if (first.endsWith('-01') && first.slice(0, 7) === end.slice(0, 7) && Number(end.slice(8)) === monthEnd) {
    return first.slice(0, 7);
  }
  return `${first} to ${end}`;
}

// "dated 2022-06 (event date)": a claim's date and where it comes from, always said.
export function dateText(claim) {
  const span = periodText(claim.first_seen, claim.last_seen);
  const source = claim.date_source === 'event' ? 'event date' : claim.date_source === 'published' ? 'published' : 'date';
  return `dated ${span} (${source})`;
}

// A claim with stance, attribution, corroboration and its sources (a ClaimView).
export function claimBlock(claim, opts = {}) {
  const box = el('article', { class: 'claim', id: opts.idPrefix ? `${opts.idPrefix}${claim.id}` : null,
    'data-claim-id': claim.id });
  const head = el('p', { class: 'claim-head' },
    stanceBadge(claim.stance), ' ',
    el('span', { class: 'subj' }, claim.subject), ' ',
    el('span', { class: 'pred' }, human(claim.predicate)), ' ',
    el('span', { class: 'obj' }, claim.object));
  if (claim.tactic) head.append(' ', el('span', { class: 'badge tactic' }, human(claim.tactic)));
  head.append(' ', reviewBadge(claim.review_status));
  box.append(head);
  const meta = [`${claim.documents} document(s)`, `${claim.publishers} publisher(s)`];
  const who = attribution(claim);
  if (who) meta.push(who);
  if (claim.first_seen) meta.push(dateText(claim));
  if (claim.confidence !== undefined) meta.push(confidenceText(claim.confidence));
  box.append(el('p', { class: 'claim-meta muted' }, meta.join(' · ')));
  const sources = claim.sources || [];
  if (sources.length) {
    const list = el('ul', { class: 'sources' });
    for (const src of sources) list.append(sourceItem(src, claim.id, src.document_id));
    box.append(list);
    if (claim.document_ids) linkSources(list, claim, claim.document_ids);
    else if (sources.some((s) => !s.document_id)) {
      claimDocumentIds(claim.id).then((ids) => linkSources(list, claim, ids));
    }
  }
  return box;
}

// The page frame: marks the current nav link, fills in who is logged in, shows write controls.
export async function initPage() {
  const here = window.location.pathname;
  for (const a of document.querySelectorAll('nav.main a[data-path]')) {
    const path = a.getAttribute('data-path');
    if (path === here || (path !== '/' && here.startsWith(path))) a.setAttribute('aria-current', 'page');
  }
  const m = await me();
  const write = await canWrite();
  document.body.classList.toggle('can-write', write);
  return { me: m, canWrite: write };
}

// Claim filters (the contract's common filters) inside `container`; returns {params(), onChange(fn)}.
export function filterControls(container, opts = {}) {
  const id = (name) => `${opts.prefix || 'f'}-${name}`;
  const fields = opts.fields || ['predicate', 'stance', 'tactic', 'since', 'until', 'min_sources', 'accepted_only'];
  const box = el('fieldset', { class: 'filters' }, el('legend', {}, opts.legend || 'Filters'));
  const inputs = {};
  const option = (value, label) => el('option', { value }, label);
  const row = (name, label, input) => {
    inputs[name] = input;
    box.append(el('div', { class: 'field' }, el('label', { for: id(name) }, label), input));
  };
  if (fields.includes('predicate')) {
    row('predicate', 'Predicates (none = all)', el('select', { id: id('predicate'), multiple: true, size: 4 },
      PREDICATES.map((p) => option(p, human(p)))));
  }
  if (fields.includes('stance')) {
    row('stance', 'Stance', el('select', { id: id('stance') }, option('', 'any'),
      HEADLINES.map((s) => option(s, s))));
  }
  if (fields.includes('tactic')) {
    row('tactic', 'Tactic', el('select', { id: id('tactic') }, option('', 'any'),
      TACTICS.map((t) => option(t, human(t)))));
  }
  if (fields.includes('since')) row('since', 'Seen since', el('input', { id: id('since'), type: 'date' }));
  if (fields.includes('until')) row('until', 'First seen until', el('input', { id: id('until'), type: 'date' }));
  if (fields.includes('min_sources')) {
    row('min_sources', 'Min. sources', el('input', { id: id('min_sources'), type: 'number', min: 1, step: 1,
      value: 1, inputmode: 'numeric' }));
  }
  if (fields.includes('accepted_only')) {
    const cb = el('input', { id: id('accepted_only'), type: 'checkbox' });
    inputs.accepted_only = cb;
    box.append(el('div', { class: 'field check' }, cb, el('label', { for: id('accepted_only') },
      'Accepted claims only')));
  }
  container.append(box);
  const params = () => {
    const out = {};
    if (inputs.predicate) out.predicate = [...inputs.predicate.selectedOptions].map((o) => o.value);
    for (const name of ['stance', 'tactic', 'since', 'until']) if (inputs[name]) out[name] = inputs[name].value;
    if (inputs.min_sources) {
      const n = parseInt(inputs.min_sources.value, 10);
      if (n > 1) out.min_sources = n;
    }
    if (inputs.accepted_only && inputs.accepted_only.checked) out.accepted_only = 'true';
    return out;
  };
  const onChange = (fn) => box.addEventListener('change', () => fn(params()));
  return { params, onChange, element: box, inputs };
}

// Download links for every export format, kept in step with the filters.
export function exportLinks(container, getParams) {
  const list = el('ul', { class: 'exports', 'aria-label': 'Export the network' });
  const links = EXPORT_FORMATS.map((fmt) => {
    const a = el('a', { class: 'button', download: '', 'data-format': fmt }, fmt.toUpperCase());
    list.append(el('li', {}, a));
    return a;
  });
  const update = () => {
    const params = getParams();
    for (const a of links) {
      a.setAttribute('href', `/api/export${query({ format: a.getAttribute('data-format'), ...params })}`);
    }
  };
  container.append(el('p', { class: 'muted small' },
    'Exports carry stance and attribution with every claim; rejected claims are left out.'), list);
  update();
  return update;
}

// A search-as-you-type entity chooser. onPick({id, name, type}).
export function entityPicker(container, label, onPick, opts = {}) {
  const inputId = `${opts.id || 'pick'}-input`;
  const listId = `${opts.id || 'pick'}-list`;
  const input = el('input', { id: inputId, type: 'search', autocomplete: 'off', placeholder: opts.placeholder || 'name',
    'aria-controls': listId });
  const list = el('ul', { id: listId, class: 'picker-results', role: 'listbox', 'aria-label': `${label}: matches` });
  const chosen = el('span', { class: 'picked', 'aria-live': 'polite' });
  const wrap = el('div', { class: 'picker field' }, el('label', { for: inputId }, label), input, chosen, list);
  container.append(wrap);
  let timer = null;
  let seq = 0;
  const choose = (entity) => {
    clear(list);
    input.value = '';
    clear(chosen).append(el('span', {}, entity.name), ' ', typeBadge(entity.type));
    wrap.dataset.entityId = String(entity.id);
    onPick(entity);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { clear(list); return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const found = await getJSON('/api/search', { q, limit: 8 });
        if (mine !== seq) return;
        clear(list);
        for (const entity of found.entities || []) {
          const button = el('button', { type: 'button', role: 'option', class: 'option',
            'data-entity-id': entity.id }, entity.name, ' ',
            typeBadge(entity.type));
          button.addEventListener('click', () => choose(entity));
          list.append(el('li', {}, button));
        }
        if (!list.firstChild) list.append(el('li', { class: 'muted' }, 'no match'));
      } catch (err) {
        clear(list).append(el('li', { class: 'error' }, errorText(err)));
      }
    }, 200);
  });
  return { set: choose, input, element: wrap };
}
