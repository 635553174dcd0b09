// Entity profile: type, aliases, and claims in and out grouped by predicate, with stance and sources.
import { canWrite, getJSON } from './api.js';
import { notesPanel } from './claim-form.js';
import {
  $, HEADLINES, claimBlock, clear, documentHref, el, errorText, human, initPage, message, reviewBadge, typeBadge,
} from './ui.js';

const root = $('#entity');
const entityId = root.getAttribute('data-entity-id')
  || decodeURIComponent(window.location.pathname.split('/').filter(Boolean)[1] || '');

function byPredicate(claims) {
  const groups = new Map();
  for (const c of claims) {
    if (!groups.has(c.predicate)) groups.set(c.predicate, []);
    groups.get(c.predicate).push(c);
  }
  return [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

function stanceCounts(claims) {
  const n = Object.fromEntries(HEADLINES.map((s) => [s, 0]));
  for (const c of claims) if (c.stance in n) n[c.stance] += 1;
  return HEADLINES.map((s) => `${n[s]} ${s}`).join(' · ');
}

// The documents it appears in, newest published first (undated last), each linking to its text.
function documentSection(docs) {
  const section = el('section', { class: 'documents-section', 'aria-labelledby': 'h-docs' },
    el('h2', { id: 'h-docs' }, `Documents it appears in (${docs.length})`));
  const list = el('ul', { class: 'document-list' });
  for (const d of docs) {
    list.append(el('li', {}, el('a', { href: documentHref(d.id) }, d.title || d.key),
      el('span', { class: 'muted small' }, ` · ${d.publisher || 'publisher unknown'} · ${d.published || 'date unknown'}`)));
  }
  section.append(docs.length ? list : el('p', { class: 'muted' }, 'None.'));
  return section;
}

function claimSection(title, claims, direction) {
  const id = `h-${direction}`;
  const section = el('section', { class: 'claims-section', 'aria-labelledby': id },
    el('h2', { id }, `${title} (${claims.length})`));
  if (!claims.length) {
    section.append(el('p', { class: 'muted' }, 'None.'));
    return section;
  }
  section.append(el('p', { class: 'muted small' }, stanceCounts(claims)));
  for (const [predicate, group] of byPredicate(claims)) {
    const details = el('details', { class: 'predicate-group', open: true },
      el('summary', {}, el('span', { class: 'pred' }, human(predicate)), ` (${group.length})`));
    for (const c of group) details.append(claimBlock(c, { idPrefix: `${direction}-claim-` }));
    section.append(details);
  }
  return section;
}

async function load() {
  if (!entityId) {
    message(root, 'No entity given.', 'error');
    return;
  }
  let e;
  try {
    e = await getJSON(`/api/entities/${encodeURIComponent(entityId)}`);
  } catch (err) {
    message(root, errorText(err), 'error');
    return;
  }
  document.title = `${e.name} · frontwatch`;
  clear(root);
  const head = el('header', { class: 'entity-head' },
    el('h1', {}, e.name, ' ', typeBadge(e.type)),
    el('p', { class: 'muted' }, `${e.documents} document(s) · review: `, reviewBadge(e.review_status),
      e.gazetteer_id ? ` · gazetteer ${e.gazetteer_id}` : '',
      e.publishers && e.publishers.length ? ` · published by ${e.publishers.join(', ')}` : ''));
  if (e.aliases && e.aliases.length) {
    const list = el('ul', { class: 'aliases', 'aria-label': 'Aliases' });
    for (const a of e.aliases) list.append(el('li', {}, a));
    head.append(el('div', { class: 'alias-block' }, el('span', { class: 'muted' }, 'Also known as: '), list));
  }
  head.append(el('p', { class: 'inline' },
    el('a', { class: 'button', href: `/graph?entity=${encodeURIComponent(e.id)}` }, 'Open in graph explorer'),
    el('a', { class: 'button', href: `/timeline?actor=${encodeURIComponent(e.id)}` }, 'Timeline')));
  root.append(head,
    el('p', { class: 'caveat small' }, 'Each claim is shown with its stance and who makes it. ',
      '“Alleged” means a source reports someone alleging it; it is not established.'),
    el('div', { class: 'columns two' },
      claimSection('Claims where it is the subject', e.claims_out || [], 'out'),
      claimSection('Claims about it', e.claims_in || [], 'in')),
    claimSection('Claims it makes as accuser (sources attributed to it)', e.accuses || [], 'accuses'),
    documentSection(e.document_list || []));
  notesPanel(root, 'entity', e.id, { canWrite: await canWrite(), title: 'Notes on this entity' });
}

initPage();
load();
