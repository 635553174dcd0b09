// Conversation screening: paste or upload, POST /api/screen, show level, indicators and advice.
// Nothing is stored by the server; the page keeps nothing either.
import { postJSON } from './api.js';
import { $, append, clear, el, errorText, human, initPage, sourceLink } from './ui.js';

const form = $('#screen-form');
const text = $('#screen-text');
const file = $('#screen-file');
const format = $('#screen-format');
const result = $('#screen-result');

file.addEventListener('change', async () => {
  const f = file.files && file.files[0];
  if (!f) return;
  const name = f.name.toLowerCase();
  if (name.endsWith('.eml')) format.value = 'eml';
  else if (name.endsWith('.json')) format.value = 'json';
  else if (/whatsapp/i.test(f.name)) format.value = 'whatsapp';
  text.value = await f.text();
});

// One warning sign: what it is, how much it counts, and the lines that matched (quoted as text).
function indicator(item, full = true) {
  if (typeof item === 'string') return el('li', {}, item);
  const li = el('li', { class: 'indicator' }, el('strong', {}, item.title || human(item.id || 'indicator')));
  if (item.category) li.append(' ', el('span', { class: 'badge tactic' }, human(item.category)));
  if (full && item.score !== undefined) li.append(el('span', { class: 'muted small' }, ` score ${item.score}`));
  if (full && item.description) li.append(el('div', { class: 'small' }, item.description));
  for (const e of (item.evidence || []).slice(0, 5)) {
    const where = [e.line !== undefined ? `line ${e.line}` : '', e.sender || ''].filter(Boolean).join(', ');
    li.append(el('blockquote', { class: 'evidence' }, where ? el('span', { class: 'muted small' }, `${where}: `) : null,
      e.excerpt || e.text || ''));
  }
  if (full && item.note) li.append(el('div', { class: 'small muted' }, item.note));
  if (full && item.advisories && item.advisories.length) {
    li.append(el('div', { class: 'small muted' }, `See: ${item.advisories.join('; ')}`));
  }
  return li;
}

function list(items, render) {
  return append(el('ul', { class: 'indicators' }), items.map(render));
}

function advice(a) {
  const box = el('section', { class: 'advice', 'aria-label': 'Advice' });
  if (!a || typeof a === 'string') return append(box, el('p', {}, a || 'No advice.'));
  if (a.summary) box.append(el('p', {}, a.summary));
  if (a.steps && a.steps.length) box.append(append(el('ol', {}), a.steps.map((t) => el('li', {}, t))));
  if (a.report_to && a.report_to.length) {
    box.append(el('h4', {}, 'Where to report'));
    box.append(append(el('ul', {}), a.report_to.map((r) => el('li', {},
      el('strong', {}, r.name || ''), r.what ? ` — ${r.what}` : '',
      r.how ? el('div', { class: 'small' }, r.how) : null,
      r.website ? el('div', { class: 'small muted' }, sourceLink(r.website) || r.website) : null))));
  }
  if (a.employer) box.append(el('p', { class: 'small' }, a.employer));
  if (a.note) box.append(el('p', { class: 'small muted' }, a.note));
  return box;
}

function render(r) {
  clear(result);
  const level = String(r.level || 'unknown');
  result.append(el('h2', {}, 'Result'),
    el('p', { class: `level level-${level.replace(/[^a-z]/gi, '').toLowerCase()}` }, 'Level: ',
      el('strong', {}, human(level)), r.score !== undefined ? el('span', { class: 'small' }, ` (score ${r.score})`) : null));
  const meta = [];
  if (r.messages !== undefined) meta.push(`${r.messages} message(s)`);
  if (r.approacher) meta.push(`taken to be from ${r.approacher}${r.approacher_reason ? ` (${r.approacher_reason})` : ''}`);
  if (meta.length) result.append(el('p', { class: 'muted' }, meta.join(' · ')));
  if (r.reasons && r.reasons.length) result.append(append(el('ul', { class: 'small' }), r.reasons.map((t) => el('li', {}, t))));
  const inds = r.indicators || [];
  result.append(el('h3', {}, `Warning signs (${inds.length})`));
  if (inds.length) result.append(list(inds, (i) => indicator(i)));
  else result.append(el('p', { class: 'muted' }, 'No warning sign found. That does not prove the conversation is safe.'));
  if (r.mitigations && r.mitigations.length) {
    result.append(el('h3', {}, 'Signs that lower the level'), list(r.mitigations, (i) => indicator(i, false)));
  }
  if (r.not_counted && r.not_counted.length) {
    result.append(el('h3', {}, 'Not counted (not from the sender taken to make contact)'),
      list(r.not_counted, (i) => indicator(i, false)));
  }
  result.append(el('h3', {}, 'Advice'), advice(r.advice));
  result.append(el('p', { class: 'small muted' }, r.privacy || 'Nothing was stored.'));
  result.querySelector('h2').scrollIntoView({ block: 'start' });
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!text.value.trim()) {
    clear(result).append(el('p', { class: 'message error', role: 'alert' }, 'Paste a conversation or choose a file.'));
    return;
  }
  clear(result).append(el('p', { class: 'muted' }, 'Screening…'));
  const body = { text: text.value, format: format.value };
  const country = $('#screen-country').value;
  if (country) body.country = country;
  try {
    render(await postJSON('/api/screen', body));
  } catch (err) {
    clear(result).append(el('p', { class: 'message error', role: 'alert' }, errorText(err)));
  }
});

initPage();
