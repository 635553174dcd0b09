// Investigations on the graph page: save what is on screen (entities, claims, notes, node positions) under
// a name, reopen it, and download exactly the subgraph on screen as STIX, FtM, GEXF or CSV.
import { canWrite, getJSON, sendForFile, sendJSON } from './api.js';
import { $, clear, el, errorText } from './ui.js';

const FORMATS = [['stix', 'STIX'], ['ftm', 'FtM'], ['gexf', 'GEXF'], ['csv', 'CSV']];

// graph: { cy(), makeCy(n), addElements(nodes, edges, around), layout(opts), setStatus(), fit(), clear() }
export function investigationPanel(container, graph) {
  const status = el('p', { class: 'small', role: 'status', 'aria-live': 'polite', id: 'inv-status' });
  const name = el('input', { id: 'inv-name', type: 'text', maxlength: 200, autocomplete: 'off' });
  const notes = el('textarea', { id: 'inv-notes', maxlength: 100000 });
  const save = el('button', { type: 'button', id: 'inv-save', class: 'primary' }, 'Save');
  const saveNew = el('button', { type: 'button', id: 'inv-save-new' }, 'Save as new');
  const list = el('ul', { class: 'investigation-list', id: 'inv-list' });
  const exports = el('p', { class: 'inline', id: 'subgraph-exports' });
  let current = null; // the investigation open now: {id, name}

  container.append(
    el('div', { 'data-write': '' },
      el('div', { class: 'field' }, el('label', { for: 'inv-name' }, 'Name'), name),
      el('div', { class: 'field' }, el('label', { for: 'inv-notes' }, 'Notes'), notes),
      el('p', { class: 'inline' }, save, saveNew)),
    status,
    el('h3', {}, 'Saved'), list,
    el('h3', {}, 'Download what is on screen'), exports,
    el('p', { class: 'muted small' }, 'Exactly the entities and claims shown, with stance and attribution.'));

  const onScreen = () => {
    const cy = graph.cy();
    if (!cy) return { entity_ids: [], claim_ids: [], layout: {} };
    const layout = {};
    for (const n of cy.nodes()) {
      const p = n.position();
      layout[n.id()] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
    }
    return { entity_ids: cy.nodes().map((n) => Number(n.id())),
      claim_ids: cy.edges().map((e) => Number(e.data('claim'))), layout };
  };

  async function refresh() {
    try {
      const items = await getJSON('/api/investigations');
      clear(list);
      for (const item of items) {
        const open = el('button', { type: 'button', 'data-investigation': item.id }, 'Open');
        open.addEventListener('click', () => openInvestigation(item.id));
        const remove = el('button', { type: 'button', 'data-write': '', class: 'link',
          'aria-label': `Delete ${item.name}` }, 'Delete');
        remove.addEventListener('click', async () => {
          try {
            await sendJSON('DELETE', `/api/investigations/${item.id}`);
            if (current && current.id === item.id) current = null;
            status.textContent = `Deleted “${item.name}”.`;
            refresh();
          } catch (err) { status.textContent = errorText(err); }
        });
        list.append(el('li', {}, el('span', {}, item.name, el('span', { class: 'muted small' },
          ` · ${item.entities} entities, ${item.claims} claims`)), el('span', { class: 'inline' }, open, remove)));
      }
      if (!items.length) list.append(el('li', { class: 'muted small' }, 'none yet'));
    } catch (err) {
      clear(list).append(el('li', { class: 'error' }, errorText(err)));
    }
  }

  async function store(asNew) {
    const body = { name: name.value.trim(), notes: notes.value, ...onScreen() };
    if (!body.name) { status.textContent = 'Give the investigation a name first.'; name.focus(); return; }
    if (!body.entity_ids.length) { status.textContent = 'Nothing on screen to save yet.'; return; }
    try {
      const saved = current && !asNew
        ? await sendJSON('PUT', `/api/investigations/${current.id}`, body)
        : await sendJSON('POST', '/api/investigations', body);
      current = { id: saved.id, name: saved.name };
      const url = new URL(window.location.href);
      url.searchParams.set('investigation', saved.id);
      window.history.replaceState(null, '', url);
      status.textContent = `Saved “${saved.name}”: ${saved.entities} entities, ${saved.claims} claims.`;
      document.body.setAttribute('data-investigation-saved', String(saved.id));
      refresh();
    } catch (err) { status.textContent = errorText(err); }
  }

  async function openInvestigation(id) {
    status.textContent = 'Opening…';
    try {
      const inv = await getJSON(`/api/investigations/${encodeURIComponent(id)}`);
      const g = await getJSON(`/api/investigations/${encodeURIComponent(id)}/graph`);
      graph.clear();
      const cy = graph.cy() || graph.makeCy(g.nodes.length);
      const added = graph.addElements(g.nodes, g.edges, null);
      const missing = added.filter((n) => !inv.layout[n.id()]);
      for (const n of added) if (inv.layout[n.id()]) n.position(inv.layout[n.id()]);
      if (missing.length) { // entities saved without a position: placed by the layout, the others stay
        cy.nodes().difference(missing).lock();
        await graph.layout({ randomize: false, fit: false });
        cy.nodes().unlock();
      }
      graph.fit();
      graph.setStatus();
      current = { id: inv.id, name: inv.name };
      name.value = inv.name;
      notes.value = inv.notes;
      const url = new URL(window.location.href);
      url.searchParams.delete('entity');
      url.searchParams.set('investigation', inv.id);
      window.history.replaceState(null, '', url);
      status.textContent = `Opened “${inv.name}”: ${g.nodes.length} entities, ${g.edges.length} claims.`;
      document.body.setAttribute('data-investigation-ready', String(inv.id));
    } catch (err) {
      status.textContent = errorText(err);
      document.body.setAttribute('data-investigation-ready', 'error');
    }
  }

  async function download(format) {
    const body = { format, ...onScreen() };
    delete body.layout;
    if (!body.entity_ids.length) { status.textContent = 'Nothing on screen to download.'; return; }
    try {
      const r = await sendForFile('POST', '/api/investigations/export', body);
      const found = /filename="?([^";]+)"?/.exec(r.headers.get('content-disposition') || '');
      const a = el('a', { href: URL.createObjectURL(await r.blob()), download: found ? found[1] : `subgraph.${format}` });
      document.body.append(a);
      a.click();
      a.remove();
      status.textContent = `Downloaded ${body.entity_ids.length} entities and ${body.claim_ids.length} claims as ${format}.`;
    } catch (err) { status.textContent = errorText(err); }
  }

  for (const [fmt, label] of FORMATS) {
    const b = el('button', { type: 'button', 'data-subgraph-format': fmt }, label);
    b.addEventListener('click', () => download(fmt));
    exports.append(b, ' ');
  }
  save.addEventListener('click', () => store(false));
  saveNew.addEventListener('click', () => store(true));
  canWrite().then((write) => { if (!write) status.textContent = 'Log in as an analyst to save investigations.'; });
  refresh();
  const wanted = new URLSearchParams(window.location.search).get('investigation');
  if (wanted) openInvestigation(wanted);
  return { open: openInvestigation };
}
