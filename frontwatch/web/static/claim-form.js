// An analyst's own claims and notes (issue 14 item 1): the form that adds a claim from a sentence selected
// in the document view (or edits a claim), and the notes panel of a claim, entity or document.
import { getJSON, patchJSON, postJSON } from './api.js';
import {
  ENTITY_TYPES, PREDICATES, STANCES, TACTICS, append, clear, el, errorText, human,
} from './ui.js';

const option = (value, label, selected) => el('option', { value, selected: selected ? true : null }, label);

// One field: a label and its input, ids prefixed with `cf-`.
function field(name, label, input, hint) {
  input.id = `cf-${name}`;
  input.name = name;
  return el('div', { class: 'field' }, el('label', { for: input.id }, label), input,
    hint ? el('span', { class: 'small muted' }, hint) : null);
}

// An entity field: a name with the document's entities to pick from, and a type for a new entity.
function entityField(name, label, listId) {
  const input = el('input', { type: 'text', list: listId, autocomplete: 'off', required: true,
    placeholder: 'an entity of this document, or any name' });
  const type = el('select', {}, option('', 'existing entity'),
    ENTITY_TYPES.map((t) => option(t, `new ${human(t)}`)));
  return {
    input, type,
    element: el('div', { class: 'entity-field' }, field(name, label, input),
      field(`${name}_type`, `${label}: if no entity has that name, create a`, type)),
  };
}

// The form. `entities`: [{id, name, type}] mentioned in the document. `onSaved(result)` after a save.
export function claimForm(container, { documentId, entities, onSaved }) {
  const listId = 'cf-entities';
  const datalist = el('datalist', { id: listId }, entities.map((e) => el('option', { value: e.name })));
  const sentence = el('textarea', { rows: 3, required: true, maxlength: 5000,
    placeholder: 'Select a sentence in the text, or type it as the document has it' });
  const subject = entityField('subject', 'Subject', listId);
  const object = entityField('object', 'Object', listId);
  const predicate = el('select', { required: true }, PREDICATES.map((p) => option(p, human(p))));
  const stance = el('select', {}, STANCES.map((s) => option(s, s, s === 'alleged')));
  const attributed = el('input', { type: 'text', maxlength: 400, placeholder: 'who makes the claim' });
  const tactic = el('select', {}, option('', 'none'), TACTICS.map((t) => option(t, human(t))));
  const date = el('input', { type: 'text', pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?', placeholder: 'YYYY-MM-DD',
    inputmode: 'numeric' });
  const status = el('p', { class: 'small', id: 'cf-status', role: 'status', 'aria-live': 'polite' });
  const submit = el('button', { type: 'submit', id: 'cf-submit' }, 'Add claim');
  const cancel = el('button', { type: 'button', id: 'cf-cancel', class: 'secondary', hidden: true },
    'Cancel edit');
  const heading = el('h3', { id: 'cf-heading' }, 'Add a claim');
  const form = el('form', { id: 'claim-form', class: 'claim-form', 'aria-labelledby': 'cf-heading' },
    heading, datalist,
    el('p', { class: 'small muted' }, 'Select a sentence in the text to read a claim the extractor missed. '
      + 'An allegation is stored as alleged unless the source states it in its own voice.'),
    field('sentence', 'Sentence', sentence), subject.element, field('predicate', 'Predicate', predicate),
    object.element, field('stance', 'Stance', stance), field('attributed_to', 'Attributed to', attributed),
    field('tactic', 'Tactic', tactic), field('date', 'Event date', date, 'YYYY, YYYY-MM or YYYY-MM-DD'),
    el('div', { class: 'actions' }, submit, ' ', cancel), status);
  let editing = null; // the claim being edited: {id, ...values as loaded}

  const ref = (f) => {
    const name = f.input.value.trim();
    const known = entities.find((e) => e.name === name);
    return known && !f.type.value ? String(known.id) : name;
  };
  const reset = () => {
    editing = null;
    form.reset();
    stance.value = 'alleged';
    heading.textContent = 'Add a claim';
    submit.textContent = 'Add claim';
    sentence.disabled = false;
    cancel.hidden = true;
  };
  cancel.addEventListener('click', reset);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.className = 'small';
    status.textContent = 'Saving…';
    try {
      let result;
      if (editing) {
        const body = {};
        const now = { subject: subject.input.value.trim(), object: object.input.value.trim(),
          predicate: predicate.value, stance: stance.value, attributed_to: attributed.value.trim(),
          tactic: tactic.value, date: date.value.trim() };
        for (const [key, value] of Object.entries(now)) if (value !== editing[key]) body[key] = value;
        if (body.subject) body.subject = ref(subject);
        if (body.object) body.object = ref(object);
        if (subject.type.value) body.subject_type = subject.type.value;
        if (object.type.value) body.object_type = object.type.value;
        body.document = Number(documentId);
        result = await patchJSON(`/api/claims/${encodeURIComponent(editing.id)}`, body);
      } else {
        const body = { document: Number(documentId), sentence: sentence.value, subject: ref(subject),
          predicate: predicate.value, object: ref(object), stance: stance.value };
        if (subject.type.value) body.subject_type = subject.type.value;
        if (object.type.value) body.object_type = object.type.value;
        if (attributed.value.trim()) body.attributed_to = attributed.value.trim();
        if (tactic.value) body.tactic = tactic.value;
        if (date.value.trim()) body.date = date.value.trim();
        result = await postJSON('/api/claims', body);
      }
      const c = result.claim;
      clear(status).append(`${editing ? 'Edited' : 'Added'} claim #${c.id}: ${c.subject} ${human(c.predicate)} `
        + `${c.object} (${c.stance}; audit #${result.audit_id}, undo from the review page). `,
      el('a', { href: `/graph?entity=${encodeURIComponent(result.subject_id)}`, id: 'cf-graph-link' },
        'See it in the graph'));
      status.className = 'small ok';
      reset();
      if (onSaved) onSaved(result);
    } catch (err) {
      status.className = 'small error';
      status.textContent = errorText(err);
    }
  });

  container.append(form);
  return {
    element: form,
    // Fill in the sentence an analyst selected, and bring the form into view.
    useSentence(text) {
      if (editing) reset();
      sentence.value = text;
      form.scrollIntoView({ block: 'nearest' });
      subject.input.focus();
    },
    // Edit a claim of this document: its fields as the document's evidence reads them.
    edit(e) {
      editing = { id: e.claim_id, subject: e.subject, object: e.object, predicate: e.predicate,
        stance: e.stance, attributed_to: e.attributed_to || '', tactic: '', date: '' };
      sentence.value = e.sentence || '';
      sentence.disabled = true;
      subject.input.value = e.subject;
      object.input.value = e.object;
      predicate.value = e.predicate;
      stance.value = e.stance;
      attributed.value = e.attributed_to || '';
      tactic.value = '';
      date.value = '';
      heading.textContent = `Edit claim #${e.claim_id}`;
      submit.textContent = 'Save changes';
      cancel.hidden = false;
      status.textContent = 'Stance, attribution and date change this document’s evidence only; '
        + 'a blank tactic or date leaves it as it is.';
      form.scrollIntoView({ block: 'nearest' });
    },
  };
}

// The notes on a claim, entity or document, with a box to add one when the user may write.
export async function notesPanel(container, kind, ref, { canWrite, title } = {}) {
  const list = el('ul', { class: 'notes', id: `notes-${kind}-${ref}` });
  const section = el('section', { class: 'notes-panel', 'aria-label': title || `Notes on this ${kind}` },
    el('h3', {}, title || 'Notes'), list);
  container.append(section);
  const show = async () => {
    try {
      const notes = await getJSON(`/api/notes/${kind}/${encodeURIComponent(ref)}`);
      clear(list);
      for (const n of notes) {
        list.append(el('li', { 'data-note-id': n.id }, el('span', { class: 'small muted' },
          `${n.author}, ${String(n.created_at).slice(0, 16).replace('T', ' ')}: `), n.text));
      }
      if (!notes.length) list.append(el('li', { class: 'muted small' }, 'No notes yet.'));
    } catch (err) {
      clear(list).append(el('li', { class: 'error' }, errorText(err)));
    }
  };
  await show();
  if (!canWrite) return;
  const text = el('textarea', { rows: 2, maxlength: 10000, id: `note-text-${kind}-${ref}`, required: true });
  const out = el('span', { class: 'small', role: 'status' });
  const form = el('form', { class: 'note-form' },
    el('label', { for: text.id, class: 'small' }, 'Add a note'), text,
    el('button', { type: 'submit' }, 'Add note'), ' ', out);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const r = await postJSON('/api/notes', { kind, ref: Number(ref), text: text.value });
      text.value = '';
      out.textContent = `Saved (audit #${r.audit_id}).`;
      await show();
    } catch (err) {
      out.textContent = errorText(err);
    }
  });
  append(section, form);
}
