// Document view: the text with mentions highlighted by type and each claim's evidence marked with an
// anchor `claim-{id}`; beside it the claims with stance and attribution. An analyst selects a sentence to
// add a claim the extractor missed, edits a claim, and writes notes (claim-form.js).
import { getJSON } from './api.js';
import { claimForm, notesPanel } from './claim-form.js';
import {
  $, ENTITY_TYPES, append, clear, confidenceText, el, entityHref, errorText, human, initPage, message, sourceLink,
  stanceBadge,
} from './ui.js';

const root = $('#document');
const docId = root.getAttribute('data-document-id')
  || decodeURIComponent(window.location.pathname.split('/').filter(Boolean)[1] || '');

// Split the text at every span boundary; each piece knows the mention and evidence spans covering it.
// Offsets count code points (as Python does), so the text is handled as an array of code points.
function segments(text, chars, mentions, evidence) {
  const cuts = new Set([0, chars.length]);
  const clamp = (n) => Math.max(0, Math.min(chars.length, Number(n) || 0));
  const spans = [];
  for (const m of mentions) spans.push({ kind: 'mention', start: clamp(m.start), end: clamp(m.end), m });
  for (const e of evidence) {
    let { start, end } = e;
    if ((start === null || start === undefined) && e.sentence) { // no offsets stored: find the sentence
      const at = text.indexOf(e.sentence);
      if (at >= 0) {
        start = Array.from(text.slice(0, at)).length;
        end = start + Array.from(e.sentence).length;
      }
    }
    spans.push({ kind: 'evidence', start: clamp(start), end: clamp(end), e });
  }
  for (const s of spans) if (s.end > s.start) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i];
    const end = points[i + 1];
    const cover = spans.filter((s) => s.start <= start && s.end >= end && s.end > s.start);
    out.push({
      start, end,
      text: chars.slice(start, end).join(''),
      mention: cover.find((s) => s.kind === 'mention'),
      evidence: cover.filter((s) => s.kind === 'evidence').map((s) => s.e),
    });
  }
  return out;
}

function renderText(container, text, mentions, evidence) {
  const chars = Array.from(text || '');
  const anchored = new Set();
  const frag = document.createDocumentFragment();
  for (const seg of segments(text || '', chars, mentions, evidence)) {
    let node;
    if (seg.mention) {
      const m = seg.mention.m;
      const type = ENTITY_TYPES.includes(m.type) ? m.type : 'unknown';
      node = m.entity_id !== undefined && m.entity_id !== null
        ? el('a', { href: entityHref(m.entity_id), class: `mention type-${type}`,
          title: `${human(m.type)}: ${m.entity || ''}` }, seg.text)
        : el('span', { class: `mention type-${type}`, title: human(m.type) }, seg.text);
    } else {
      node = document.createTextNode(seg.text);
    }
    if (seg.evidence.length) {
      const ids = seg.evidence.map((e) => String(e.claim_id));
      const mark = el('mark', { class: 'evidence', 'data-claims': ids.join(' ') });
      for (const e of seg.evidence) {
        if (!anchored.has(e.claim_id)) {
          anchored.add(e.claim_id);
          mark.append(el('span', { id: `claim-${e.claim_id}`, class: 'anchor' }));
        }
      }
      mark.append(node);
      frag.append(mark);
    } else {
      frag.append(node);
    }
  }
  // A claim whose span falls outside the text still gets its anchor, at the end.
  for (const e of evidence) {
    if (!anchored.has(e.claim_id)) {
      anchored.add(e.claim_id);
      frag.append(el('span', { id: `claim-${e.claim_id}`, class: 'anchor' }));
    }
  }
  clear(container).append(frag);
}

function highlight() {
  for (const node of document.querySelectorAll('mark.evidence.current, .claim-list li.current')) {
    node.classList.remove('current');
  }
  const match = /^#claim-(\d+)$/.exec(window.location.hash);
  if (!match) return;
  const id = match[1];
  for (const mark of document.querySelectorAll('#doc-text mark.evidence')) {
    if ((mark.getAttribute('data-claims') || '').split(' ').includes(id)) mark.classList.add('current');
  }
  const item = document.getElementById(`list-claim-${id}`);
  if (item) item.classList.add('current');
  const anchor = document.getElementById(`claim-${id}`);
  if (anchor) anchor.scrollIntoView({ block: 'center' });
}

let form = null; // the add/edit form, for analysts

function claimList(list, evidence) {
  clear(list);
  const seen = new Set();
  for (const e of evidence) {
    if (seen.has(e.claim_id)) continue;
    seen.add(e.claim_id);
    const li = el('li', { id: `list-claim-${e.claim_id}` },
      stanceBadge(e.stance), ' ',
      el('a', { href: `#claim-${e.claim_id}` },
        el('span', { class: 'subj' }, e.subject), ' ', el('span', { class: 'pred' }, human(e.predicate)), ' ',
        el('span', { class: 'obj' }, e.object)));
    li.append(el('div', { class: 'small muted' },
      e.attributed_to ? `attributed to ${e.attributed_to}` : 'no attribution (the document’s own voice)',
      e.confidence !== undefined ? ` · ${confidenceText(e.confidence)}` : ''));
    const notes = el('details', { class: 'claim-notes small' }, el('summary', {}, 'Notes'));
    notes.addEventListener('toggle', () => {
      if (notes.open && !notes.dataset.loaded) {
        notes.dataset.loaded = '1';
        notesPanel(notes, 'claim', e.claim_id, { canWrite: Boolean(form), title: `Notes on claim #${e.claim_id}` });
      }
    });
    li.append(notes);
    if (form) {
      const edit = el('button', { type: 'button', class: 'small secondary edit-claim', 'data-claim-id': e.claim_id },
        'Edit');
      edit.addEventListener('click', () => form.edit(e));
      li.append(edit);
    }
    list.append(li);
  }
  if (!seen.size) list.append(el('li', { class: 'muted' }, 'No claim was read from this document.'));
}

function legend(container, mentions) {
  const types = [...new Set(mentions.map((m) => m.type))].filter((t) => ENTITY_TYPES.includes(t)).sort();
  clear(container);
  if (!types.length) return;
  append(container, el('span', { class: 'muted small' }, 'Mentions: '),
    types.map((t) => el('span', { class: `mention type-${t} legend-item` }, human(t))),
    el('mark', { class: 'evidence legend-item' }, 'evidence sentence'));
}

// The text an analyst selected inside the document, if any.
function selectedText() {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || !sel.rangeCount) return '';
  const text = $('#doc-text');
  const range = sel.getRangeAt(0);
  if (!text.contains(range.commonAncestorContainer)) return '';
  return sel.toString().replace(/\s+/g, ' ').trim();
}

async function load(page) {
  const head = $('#doc-head');
  if (!docId) {
    message(head, 'No document given.', 'error');
    return;
  }
  let d;
  try {
    d = await getJSON(`/api/documents/${encodeURIComponent(docId)}`);
  } catch (err) {
    message(head, errorText(err), 'error');
    return;
  }
  if (page && page.canWrite && !form) {
    const entities = [];
    for (const m of d.mentions || []) {
      if (!entities.some((x) => x.id === m.entity_id)) entities.push({ id: m.entity_id, name: m.entity, type: m.type });
    }
    entities.sort((a, b) => a.name.localeCompare(b.name));
    form = claimForm($('#claim-form-box'), { documentId: d.id, entities, onSaved: () => load() });
    const take = () => {
      const text = selectedText();
      if (text) form.useSentence(text);
    };
    $('#doc-text').addEventListener('mouseup', take);
    $('#doc-text').addEventListener('keyup', take);
  }
  if (page) {
    notesPanel($('#doc-notes'), 'document', d.id, { canWrite: page.canWrite, title: 'Notes on this document' });
  }
  const title = d.title || d.key || `Document ${d.id}`;
  document.title = `${title} · frontwatch`;
  clear(head).append(el('h1', {}, title));
  const meta = el('p', { class: 'muted' });
  append(meta, [d.publisher, d.published && `published ${d.published}`, d.key && `key ${d.key}`,
    d.ingested_at && `ingested ${String(d.ingested_at).slice(0, 10)}`].filter(Boolean).join(' · '));
  head.append(meta);
  const link = sourceLink(d.url, d.url);
  if (link) head.append(el('p', { class: 'small' }, 'Source: ', link));
  else if (d.url) head.append(el('p', { class: 'small' }, 'Source (not a web link): ', el('code', {}, d.url)));
  const mentions = d.mentions || [];
  const evidence = d.evidence || [];
  legend($('#mention-legend'), mentions);
  renderText($('#doc-text'), d.text, mentions, evidence);
  claimList($('#claim-list'), evidence);
  highlight();
}

window.addEventListener('hashchange', highlight);
initPage().then((page) => load(page));
