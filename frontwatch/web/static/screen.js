// Conversation screening: paste or upload, POST /api/screen, show level, indicators and advice.
// Nothing is stored by the server; the page keeps nothing either.
import { postJSON } from './api.js';
import { $, append, clear, el, errorText, human, initPage } from './ui.js';

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

// Indicators may be strings or objects; show their label and what matched, whatever the field names.
function indicator(item) {
  if (typeof item === 'string') return el('li', {}, item);
  const label = item.label || item.name || item.indicator || item.id || item.kind || 'indicator';
  const li = el('li', { class: 'indicator' }, el('strong', {}, human(label)));
  const weight = item.severity || item.level || item.weight;
  if (weight !== undefined) li.append(' ', el('span', { class: 'badge' }, String(weight)));
  const say = item.description || item.explanation;
  if (say) li.append(el('div', {}, String(say)));
  const quotes = [].concat(item.evidence || item.excerpt || item.matches || item.quote || item.text || []);
  for (const q of quotes.slice(0, 5)) {
    const t = typeof q === 'string' ? q : q.text || q.excerpt || JSON.stringify(q);
    li.append(el('blockquote', { class: 'evidence' }, t));
  }
  return li;
}

function advice(items) {
  const list = el('ul', { class: 'advice' });
  for (const a of [].concat(items || [])) {
    if (typeof a === 'string') list.append(el('li', {}, a));
    else {
      const li = el('li', {}, a.text || a.title || a.name || '');
      const contact = a.contact || a.url || a.phone;
      if (contact) li.append(el('div', { class: 'small muted' }, String(contact)));
      list.append(li);
    }
  }
  return list;
}

function render(r) {
  clear(result);
  const level = String(r.level || r.risk || 'unknown');
  result.append(el('h2', {}, 'Result'),
    el('p', { class: `level level-${level.replace(/[^a-z]/gi, '').toLowerCase()}` }, 'Level: ',
      el('strong', {}, human(level))));
  if (r.summary) result.append(el('p', {}, String(r.summary)));
  const inds = r.indicators || [];
  result.append(el('h3', {}, `Indicators (${inds.length})`));
  if (inds.length) result.append(append(el('ul', { class: 'indicators' }), inds.map(indicator)));
  else result.append(el('p', { class: 'muted' }, 'No indicator found. That does not prove the conversation is safe.'));
  result.append(el('h3', {}, 'Advice'), advice(r.advice));
  if (r.stored === false || r.stored === undefined) {
    result.append(el('p', { class: 'small muted' }, 'Nothing was stored. Clear the text box when you are done.'));
  }
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
