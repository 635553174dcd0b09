// Home: what the store holds, the documents added last and the review backlog (/api/home).
import { getJSON } from './api.js';
import { $, clear, documentHref, el, errorText } from './ui.js';

async function start() {
  const counts = clear($('#home-counts'));
  try {
    const h = await getJSON('/api/home');
    for (const [key, label, href] of [['documents', 'documents', '/documents'], ['entities', 'entities', '/entities'],
      ['claims', 'claims', '/claims'], ['evidence', 'evidence sentences', null], ['publishers', 'publishers', null]]) {
      const n = el('strong', { 'data-count': key }, String(h[key]));
      counts.append(el('li', {}, href ? el('a', { href }, n, ` ${label}`) : el('span', {}, n, ` ${label}`)));
    }
    const backlog = $('#home-backlog');
    backlog.classList.remove('muted');
    clear(backlog).append(el('strong', { id: 'pending-count' }, String(h.pending_claims)),
      ` claim(s) wait for review`, el('span', { class: 'muted' }, ` (${Object.entries(h.claims_by_review || {})
        .map(([k, v]) => `${v} ${k}`).join(', ')})`));
    const recent = clear($('#home-recent'));
    for (const d of h.recent_documents) {
      recent.append(el('li', {}, el('a', { href: documentHref(d.id) }, d.title || d.key),
        el('span', { class: 'muted small' }, ` · ${d.publisher || 'publisher unknown'} · ${d.published || 'date unknown'}`
          + ` · ${d.claims} claim(s)`)));
    }
    $('#home').setAttribute('data-ready', '1');
  } catch (err) {
    clear(counts).append(el('li', { class: 'error' }, errorText(err)));
  }
}
start();
