// Review queue: accept, reject or edit pending claims; merge and split entities; the audit log with undo.
import { getJSON, postJSON } from './api.js';
import {
  $, PREDICATES, TACTICS, append, claimBlock, clear, el, entityPicker, errorText, human, initPage,
} from './ui.js';

function select(id, label, values, current, blank) {
  const s = el('select', { id },
    blank ? el('option', { value: '' }, blank) : null,
    values.map((v) => el('option', { value: v, selected: v === current }, human(v))));
  return el('span', { class: 'field inline-field' }, el('label', { for: id }, label), s);
}

function queueItem(claim) {
  const li = el('li', { class: 'queue-item', 'data-claim-id': claim.id });
  li.append(claimBlock(claim));
  const note = el('p', { class: 'small', role: 'status', 'aria-live': 'polite' });
  const decide = async (body, verb) => {
    for (const b of li.querySelectorAll('button')) b.disabled = true;
    try {
      const view = await postJSON(`/api/claims/${encodeURIComponent(claim.id)}/review`, body);
      li.classList.add('done');
      note.textContent = `${verb}: now ${view && view.review_status ? view.review_status : body.status}.`;
      loadAudit();
    } catch (err) {
      note.textContent = errorText(err);
      for (const b of li.querySelectorAll('button')) b.disabled = false;
    }
  };
  const accept = el('button', { type: 'button', class: 'primary accept' }, 'Accept');
  const reject = el('button', { type: 'button', class: 'danger reject' }, 'Reject');
  accept.addEventListener('click', () => decide({ status: 'accepted' }, 'Accepted'));
  reject.addEventListener('click', () => decide({ status: 'rejected' }, 'Rejected'));
  const predicate = select(`pred-${claim.id}`, 'Predicate', PREDICATES, claim.predicate);
  const tactic = select(`tactic-${claim.id}`, 'Tactic', TACTICS, claim.tactic, '(none)');
  const save = el('button', { type: 'button', class: 'edit' }, 'Save edit');
  save.addEventListener('click', () => {
    const body = { status: 'accepted' };
    const p = predicate.querySelector('select').value;
    const t = tactic.querySelector('select').value;
    if (p && p !== claim.predicate) body.predicate = p;
    if (t && t !== (claim.tactic || '')) body.tactic = t;
    if (!body.predicate && !body.tactic) {
      note.textContent = 'Change the predicate or the tactic first.';
      return;
    }
    decide(body, 'Edited');
  });
  li.append(el('div', { class: 'actions', 'data-write': true }, accept, reject,
    el('details', { class: 'edit-box' }, el('summary', {}, 'Edit predicate or tactic'), predicate, tactic, save)), note);
  return li;
}

async function loadQueue() {
  const list = $('#queue');
  const out = $('#queue-status');
  const size = parseInt($('#queue-size').value, 10) || 50;
  out.textContent = 'Loading…';
  try {
    const pending = [];
    let total = 0;
    // The queue is the pending claims; fetch pages until enough are found.
    for (let offset = 0; pending.length < size; offset += 200) {
      const page = await getJSON('/api/claims', {
        review_status: 'pending', order: $('#queue-order').value, limit: 200, offset,
      });
      total = page.total;
      pending.push(...page.items.filter((c) => (c.review_status || 'pending') === 'pending'));
      if (!page.items.length || offset + 200 >= page.total) break;
    }
    clear(list);
    append(list, pending.slice(0, size).map(queueItem));
    out.textContent = pending.length
      ? `${Math.min(pending.length, size)} pending claim(s) shown (of ${total} claims in the store).`
      : 'Nothing is waiting for review.';
  } catch (err) {
    out.textContent = errorText(err);
  }
}

// What an analyst's claim, edit or note changed, by name: "predicate: funds → supports".
function changeText(row) {
  if (!row.after) return null;
  const show = (v) => (Array.isArray(v) ? v.join(', ') : String(v ?? '—'));
  const parts = Object.entries(row.after).filter(([k]) => k !== 'sentence').map(([k, v]) => (row.before
    ? `${human(k)}: ${show(row.before[k])} → ${show(v)}` : `${human(k)}: ${show(v)}`));
  return el('div', { class: 'small muted audit-change' }, parts.join(' · '));
}

// `status` is shown once the table is drawn again (a refresh must not wipe "Undone" as it appears).
async function loadAudit(status = '') {
  const body = $('#audit tbody');
  const out = $('#audit-status');
  try {
    const r = await getJSON('/api/audit', { limit: 50 });
    const rows = Array.isArray(r) ? r : r.items || r.rows || [];
    clear(body);
    for (const row of rows) {
      const cell = el('td');
      if (row.undone_by) {
        cell.append(el('span', { class: 'muted small' }, `undone (#${row.undone_by})`));
      } else if (row.action !== 'undo') {
        const undo = el('button', { type: 'button', class: 'undo', 'data-write': true,
          'aria-label': `Undo entry ${row.id}` }, 'Undo');
        undo.addEventListener('click', async () => {
          undo.disabled = true;
          try {
            const done = await postJSON(`/api/audit/${encodeURIComponent(row.id)}/undo`);
            out.textContent = `Undone (entry #${done.audit_id}).`;
            loadAudit(out.textContent);
            loadQueue();
          } catch (err) {
            out.textContent = errorText(err);
            undo.disabled = false;
          }
        });
        cell.append(undo);
      }
      body.append(el('tr', { 'data-audit-id': row.id, 'data-action': row.action },
        el('td', {}, String(row.id)), el('td', {}, String(row.at || '').replace('T', ' ').slice(0, 19)),
        el('td', {}, row.actor || ''), el('td', {}, row.action || ''),
        el('td', {}, row.target || '', changeText(row)), cell));
    }
    if (!rows.length) body.append(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No entries yet.')));
    out.textContent = status;
  } catch (err) {
    out.textContent = errorText(err);
  }
}

// --- merge ------------------------------------------------------------------------------------------------
const merge = { keep: null, gone: null };
entityPicker($('#merge-pickers'), 'Keep this entity', (e) => { merge.keep = e; }, { id: 'merge-keep' });
entityPicker($('#merge-pickers'), 'Merge this one into it', (e) => { merge.gone = e; }, { id: 'merge-gone' });
$('#merge').addEventListener('click', async () => {
  const out = $('#merge-status');
  if (!merge.keep || !merge.gone) { out.textContent = 'Pick both entities first.'; return; }
  if (String(merge.keep.id) === String(merge.gone.id)) { out.textContent = 'Pick two different entities.'; return; }
  try {
    const r = await postJSON('/api/entities/merge', { keep: Number(merge.keep.id), gone: Number(merge.gone.id) });
    out.textContent = `Merged “${merge.gone.name}” into “${merge.keep.name}” (audit #${r.audit_id}).`;
    loadAudit();
  } catch (err) {
    out.textContent = errorText(err);
  }
});

// --- split ------------------------------------------------------------------------------------------------
let splitEntity = null;
entityPicker($('#split-picker'), 'Entity to split', async (e) => {
  splitEntity = e;
  const box = $('#split-docs');
  for (const node of box.querySelectorAll('div, p')) node.remove();
  try {
    const profile = await getJSON(`/api/entities/${encodeURIComponent(e.id)}`);
    const docs = new Map();
    for (const c of [...(profile.claims_out || []), ...(profile.claims_in || [])]) {
      for (const s of c.sources || []) docs.set(s.document, s.title || s.document);
    }
    if (!docs.size) box.append(el('p', { class: 'muted small' }, 'No document with claims; split by form.'));
    let i = 0;
    for (const [key, title] of docs) {
      const id = `split-doc-${i += 1}`;
      box.append(el('div', { class: 'check' }, el('input', { type: 'checkbox', id, value: key }),
        el('label', { for: id }, title, key !== title ? el('span', { class: 'muted' }, ` (${key})`) : null)));
    }
  } catch (err) {
    box.append(el('p', { class: 'error' }, errorText(err)));
  }
}, { id: 'split-entity' });
$('#split').addEventListener('click', async () => {
  const out = $('#split-status');
  if (!splitEntity) { out.textContent = 'Pick an entity first.'; return; }
  const documents = [...document.querySelectorAll('#split-docs input:checked')].map((i) => i.value);
  const forms = $('#split-forms').value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!documents.length && !forms.length) { out.textContent = 'Tick a document or give a form.'; return; }
  const body = { documents, forms };
  const name = $('#split-name').value.trim();
  if (name) body.name = name;
  try {
    const r = await postJSON(`/api/entities/${encodeURIComponent(splitEntity.id)}/split`, body);
    out.textContent = `Split done (audit #${r.audit_id}).`;
    loadAudit();
  } catch (err) {
    out.textContent = errorText(err);
  }
});

$('#queue-reload').addEventListener('click', loadQueue);
$('#queue-size').addEventListener('change', loadQueue);
$('#queue-order').addEventListener('change', loadQueue);

initPage().then((page) => {
  $('#review-mode').textContent = page.canWrite
    ? `Logged in as ${page.me.user.name} (${page.me.user.role}): decisions are recorded in the audit log and can be undone.`
    : 'Read-only: log in as an analyst to accept, reject, edit, merge and split.';
});
loadQueue();
loadAudit();
