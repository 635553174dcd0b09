// Graph explorer: an entity's neighbourhood (click a node to expand it), filters, shortest paths, and
// the evidence of an edge on click. Cytoscape comes from /vendor (a UMD global), fcose when present.
import { canWrite, getJSON } from './api.js';
import { notesPanel } from './claim-form.js';
import {
  $, ENTITY_TYPES, append, claimBlock, clear, el, entityHref, entityPicker, errorText, exportLinks,
  confidenceBadge, filterControls, human, initPage, stanceBadge, typeBadge,
} from './ui.js';
import { radialForceLayout } from './layout.js';
import { investigationPanel } from './investigation.js';

const cytoscape = window.cytoscape;
const BIG = 500; // above this many nodes: cheaper layout, no labels when zoomed out, textures while moving
const params = new URLSearchParams(window.location.search);
const status = $('#graph-status');
const details = $('#details');
const expanded = []; // entity ids expanded, in order (replayed when filters change)
let cy = null;
let pathEnds = { source: null, target: null };
let shown = 0; // which click the details panel belongs to: a slow answer for an earlier one is dropped
const writable = canWrite();

const css = getComputedStyle(document.documentElement);
const colour = (type) => (css.getPropertyValue(`--type-${type}`) || '').trim() || '#8a8f98';
const STANCE_COLOUR = {
  asserted: (css.getPropertyValue('--edge-asserted') || '').trim() || '#5b6472',
  alleged: (css.getPropertyValue('--edge-alleged') || '').trim() || '#5b6472',
  denied: (css.getPropertyValue('--stance-denied') || '').trim() || '#c62828',
  contested: (css.getPropertyValue('--stance-contested') || '').trim() || '#6a1b9a',
};
const HIGHLIGHT = (css.getPropertyValue('--highlight') || '').trim() || '#e67e00';

function style() {
  const s = [
    { selector: 'node', style: {
      'background-color': '#8a8f98', label: 'data(name)', 'font-size': 10, color: '#1d232b',
      'text-valign': 'bottom', 'text-margin-y': 3, 'text-wrap': 'ellipsis', 'text-max-width': 140,
      'min-zoomed-font-size': 7, width: 18, height: 18, 'border-width': 1, 'border-color': '#ffffff',
      'text-background-color': '#ffffff', 'text-background-opacity': 0.7, 'text-background-padding': 1 } },
    { selector: 'node[?expanded]', style: { 'border-width': 3, 'border-color': '#1d232b' } },
    { selector: 'node.center', style: { width: 28, height: 28 } },
    { selector: 'edge', style: {
      width: 1.5, 'line-color': STANCE_COLOUR.asserted, 'target-arrow-color': STANCE_COLOUR.asserted,
      'target-arrow-shape': 'triangle', 'arrow-scale': 0.8, 'curve-style': 'bezier', label: 'data(predicate)',
      'font-size': 8, color: '#39424e', 'text-rotation': 'autorotate', 'min-zoomed-font-size': 9,
      'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': 1 } },
    { selector: 'edge[stance = "alleged"]', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 3],
      'line-color': STANCE_COLOUR.alleged, 'target-arrow-color': STANCE_COLOUR.alleged } },
    { selector: 'edge[stance = "denied"]', style: { 'line-color': STANCE_COLOUR.denied,
      'target-arrow-color': STANCE_COLOUR.denied, color: STANCE_COLOUR.denied } },
    { selector: 'edge[stance = "contested"]', style: { 'line-style': 'dotted', 'line-color': STANCE_COLOUR.contested,
      'target-arrow-color': STANCE_COLOUR.contested, color: STANCE_COLOUR.contested } },
    { selector: ':selected', style: { 'overlay-color': HIGHLIGHT, 'overlay-opacity': 0.25 } },
    { selector: '.faded', style: { opacity: 0.2 } },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': HIGHLIGHT, 'z-index': 10 } },
    { selector: 'edge.path', style: { width: 4, 'line-color': HIGHLIGHT, 'target-arrow-color': HIGHLIGHT,
      'z-index': 10 } },
  ];
  for (const t of ENTITY_TYPES) s.splice(1, 0, { selector: `node[type = "${t}"]`, style: { 'background-color': colour(t) } });
  return s;
}

// Large views: labels (measuring thousands of texts is the slowest part of a first render) only for the
// entities and claims on screen once zoomed in far enough to read them, and for expanded entities.
const BIG_STYLE = [
  { selector: 'node', style: { label: '', 'text-wrap': 'none', 'border-width': 0 } },
  { selector: 'edge', style: { label: '', 'curve-style': 'haystack', 'haystack-radius': 0, width: 1 } },
  { selector: 'node.labelled, node[?expanded], node.path', style: { label: 'data(name)' } },
  { selector: 'edge.labelled, edge.path', style: { label: 'data(predicate)', 'curve-style': 'straight' } },
];
const LABEL_ZOOM = 0.8;
let labelTimer = null;

function labelVisible() {
  clearTimeout(labelTimer);
  labelTimer = setTimeout(() => {
    const on = cy.elements('.labelled');
    if (cy.zoom() < LABEL_ZOOM) {
      on.removeClass('labelled');
      return;
    }
    const e = cy.extent();
    const inside = cy.nodes().filter((n) => {
      const p = n.position();
      return p.x >= e.x1 && p.x <= e.x2 && p.y >= e.y1 && p.y <= e.y2;
    });
    cy.batch(() => {
      on.difference(inside).removeClass('labelled');
      inside.addClass('labelled');
      inside.connectedEdges().addClass('labelled');
    });
  }, 150);
}

function makeCy(size) {
  const big = size > BIG;
  cy = cytoscape({
    container: $('#cy'), style: big ? [...style(), ...BIG_STYLE] : style(), minZoom: 0.05, maxZoom: 4,
    textureOnViewport: big, hideEdgesOnViewport: big, hideLabelsOnViewport: big, pixelRatio: big ? 1 : 'auto',
    motionBlur: false,
  });
  if (big) cy.on('viewport', labelVisible);
  cy.on('tap', 'node', (evt) => onNode(evt.target));
  cy.on('tap', 'edge', (evt) => onEdge(evt.target));
  window.fwGraph.cy = cy;
  return cy;
}

function nodeData(n) {
  return { group: 'nodes', data: { id: String(n.id), name: n.name, type: n.type || 'unknown' } };
}

function edgeData(e) {
  const source = e.subject_id ?? e.source;
  const target = e.object_id ?? e.target;
  return { group: 'edges', data: { id: `c${e.id}`, claim: e.id, source: String(source), target: String(target),
    predicate: human(e.predicate), stance: e.stance, tactic: e.tactic || '', documents: e.documents || 0 } };
}

// Adds what is new; returns the added nodes.
function addElements(nodes, edges, around) {
  const fresh = nodes.filter((n) => cy.getElementById(String(n.id)).empty());
  const centre = around && around.nonempty() ? around.position() : null;
  const adds = fresh.map((n, i) => {
    const item = nodeData(n);
    if (centre) {
      const angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
      const r = 90 + 6 * Math.sqrt(fresh.length);
      item.position = { x: centre.x + r * Math.cos(angle), y: centre.y + r * Math.sin(angle) };
    }
    return item;
  });
  const ids = new Set([...nodes.map((n) => String(n.id)), ...cy.nodes().map((n) => n.id())]);
  for (const e of edges) {
    const d = edgeData(e);
    if (ids.has(d.data.source) && ids.has(d.data.target) && cy.getElementById(d.data.id).empty()) adds.push(d);
  }
  return cy.add(adds).nodes();
}

function layout(opts = {}) {
  const n = cy.nodes().length;
  const forced = params.get('layout'); // for comparisons (benchmarks/graph_render.py)
  if (n > BIG && !forced) return radialForceLayout(cy); // force-directed layouts take seconds here
  const fcose = typeof window.cytoscapeFcose !== 'undefined';
  let options = fcose
    ? { name: 'fcose', quality: 'default', randomize: opts.randomize ?? true, animate: false,
      nodeRepulsion: 8000, idealEdgeLength: 90, nodeSeparation: 60, numIter: 1500, ...opts }
    : { name: 'cose', animate: false, randomize: opts.randomize ?? true, nodeRepulsion: 8000, ...opts };
  if (forced) options = { ...options, name: forced, quality: params.get('quality') || options.quality };
  return new Promise((resolve) => {
    const run = cy.layout(options);
    run.one('layoutstop', () => resolve());
    run.run();
  });
}

function rendered() {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => { if (!done) { done = true; resolve(); } };
    cy.one('render', () => requestAnimationFrame(finish));
    setTimeout(finish, 2000); // nothing changed on screen: no render event comes
    cy.forceRender();
  });
}

// Fit everything, but do not blow a handful of nodes up to giant size.
function fitAll() {
  cy.fit(undefined, 30);
  if (cy.zoom() > 1.3) {
    cy.zoom(1.3);
    cy.center();
  }
}

function setStatus() {
  if (!cy) return;
  const n = cy.nodes().length;
  const m = cy.edges().length;
  status.textContent = `${n} entities · ${m} claims${n > BIG ? ' · labels appear when you zoom in' : ''}`;
}

function filterParams() {
  return filters.params();
}

async function expand(id, { fit = false } = {}) {
  const key = String(id);
  const r = await getJSON(`/api/graph/neighbors/${encodeURIComponent(key)}`, { depth: 1, ...filterParams() });
  if (!cy) makeCy(r.nodes.length);
  const first = cy.nodes().empty();
  const parent = cy.getElementById(String(r.center ? r.center.id : key));
  const added = addElements(r.nodes, r.edges, parent.nonempty() ? parent : null);
  const centreId = String(r.center ? r.center.id : key);
  cy.getElementById(centreId).data('expanded', true);
  if (first) cy.getElementById(centreId).addClass('center');
  if (!expanded.includes(centreId)) expanded.push(centreId);
  if (first || (added.length && cy.nodes().length <= BIG)) {
    // Keep what the user has seen in place: only a first layout starts from scratch.
    if (!first) cy.nodes().difference(added).lock();
    await layout({ randomize: first, fit: false });
    cy.nodes().unlock();
  }
  const e = cy.extent();
  const outside = added.some((n) => {
    const p = n.position();
    return p.x < e.x1 || p.x > e.x2 || p.y < e.y1 || p.y > e.y2;
  });
  if (first || fit || outside) fitAll(); // new entities out of sight: bring everything into view
  setStatus();
  await rendered();
  return { added: added.length, truncated: r.truncated };
}

// The whole (filtered) network at once: /graph?network=1&limit=N. Timings land in fwGraph.timing.
async function loadNetwork() {
  const limit = parseInt(params.get('limit') || '2000', 10);
  status.textContent = 'Loading the network…';
  const t0 = performance.now();
  const r = await getJSON('/api/graph/network', { limit, ...filterParams() });
  const t1 = performance.now();
  if (!cy) makeCy(r.nodes.length);
  cy.startBatch();
  addElements(r.nodes, r.edges, null);
  cy.endBatch();
  const t2 = performance.now();
  await layout({ randomize: true });
  const t3 = performance.now();
  cy.fit(undefined, 20);
  setStatus();
  await rendered();
  const t4 = performance.now();
  window.fwGraph.timing = { fetch: t1 - t0, add: t2 - t1, layout: t3 - t2, render: t4 - t3 };
}

function onNode(node) {
  const id = node.id();
  showNode(node);
  if (!node.data('expanded')) {
    status.textContent = `Expanding ${node.data('name')}…`;
    expand(id).then(() => { setStatus(); showNode(node); }).catch((err) => { status.textContent = errorText(err); });
  }
}

function showNode(node) {
  const d = node.data();
  clear(details).append(el('h2', {}, d.name, ' ', typeBadge(d.type)));
  const from = el('button', { type: 'button' }, 'Path from here');
  const to = el('button', { type: 'button' }, 'Path to here');
  from.addEventListener('click', () => pickers.source.set({ id: d.id, name: d.name, type: d.type }));
  to.addEventListener('click', () => pickers.target.set({ id: d.id, name: d.name, type: d.type }));
  details.append(el('p', { class: 'inline' },
    el('a', { class: 'button', href: entityHref(d.id) }, 'Open profile'), from, to),
  el('p', { class: 'small muted' }, `${node.degree(false)} claim(s) shown`));
  notesAfter(++shown, 'entity', d.id, 'Notes on this entity');
}

// The analysts' notes on what the panel shows, with a box to add one for analysts.
async function notesAfter(click, kind, ref, title) {
  const mayWrite = await writable;
  if (click !== shown) return;
  await notesPanel(details, kind, ref, { canWrite: mayWrite, title });
}

async function onEdge(edge) {
  const d = edge.data();
  const click = ++shown;
  clear(details).append(el('h2', {}, 'Evidence'), el('p', { class: 'muted' }, 'Loading…'));
  try {
    const claim = await getJSON(`/api/claims/${encodeURIComponent(d.claim)}`);
    if (click !== shown) return;
    clear(details).append(el('h2', {}, 'Evidence for this claim'), claimBlock(claim));
    await notesAfter(click, 'claim', d.claim, `Notes on claim #${d.claim}`);
  } catch (err) {
    clear(details).append(el('p', { class: 'message error' }, errorText(err)));
  }
}

async function reload() {
  if (!cy) return;
  clearPath();
  const again = [...expanded];
  expanded.length = 0;
  cy.elements().remove();
  clear(details);
  try {
    if (params.get('network')) await loadNetwork();
    for (const id of again) await expand(id, { fit: false });
    cy.fit(undefined, 30);
    setStatus();
  } catch (err) {
    status.textContent = errorText(err);
  }
}

function clearPath() {
  if (!cy) return;
  cy.elements().removeClass('path faded');
  $('#path-status').textContent = '';
}

async function findPath() {
  const out = $('#path-status');
  if (!pathEnds.source || !pathEnds.target) {
    out.textContent = 'Choose both ends first (from the search boxes or a node’s panel).';
    return;
  }
  out.textContent = 'Searching…';
  try {
    const r = await getJSON('/api/graph/path', { source: pathEnds.source, target: pathEnds.target,
      ...filterParams() });
    if (!r.paths || !r.paths.length) {
      out.textContent = r.note || 'No path with these filters.';
      return;
    }
    if (!cy) makeCy(10);
    const hops = r.paths.flatMap((p) => p.hops);
    const nodes = new Map();
    for (const h of hops) {
      nodes.set(String(h.subject_id), { id: h.subject_id, name: h.subject, type: 'unknown' });
      nodes.set(String(h.object_id), { id: h.object_id, name: h.object, type: 'unknown' });
    }
    const before = cy.nodes().length;
    const added = addElements([...nodes.values()], hops, null);
    for (const node of added) fillType(node);
    if (added.length) {
      if (before) cy.nodes().difference(added).lock();
      await layout({ randomize: !before });
      cy.nodes().unlock();
    }
    clearPath();
    const on = cy.collection();
    for (const h of hops) {
      on.merge(cy.getElementById(`c${h.id}`));
      on.merge(cy.getElementById(String(h.subject_id)));
      on.merge(cy.getElementById(String(h.object_id)));
    }
    cy.elements().difference(on).addClass('faded');
    on.addClass('path');
    cy.fit(on, 40);
    if (cy.zoom() > 1.3) { cy.zoom(1.3); cy.center(on); }
    clear(out).append(el('span', {}, `${r.paths.length} shortest path(s), ${r.paths[0].length} hop(s):`));
    const list = el('ol', { class: 'path-steps' });
    for (const h of r.paths[0].hops) {
      list.append(el('li', {}, `${h.subject} `, el('span', { class: 'pred' }, human(h.predicate)), ` ${h.object} `,
        stanceBadge(h.stance), ' ', confidenceBadge(h.confidence)));
    }
    out.append(list);
    setStatus();
  } catch (err) {
    out.textContent = errorText(err);
  }
}

async function fillType(node) {
  try {
    const e = await getJSON(`/api/entities/${encodeURIComponent(node.id())}`);
    node.data('type', e.type);
  } catch { /* keeps the grey of an unknown type */ }
}

function legend() {
  const list = $('#legend');
  append(list, ENTITY_TYPES.map((t) => el('li', {}, el('span', { class: `swatch type-${t}`, 'aria-hidden': 'true' }),
    ` ${human(t)}`)));
}

// --- wiring -------------------------------------------------------------------------------------------
window.fwGraph = { cy: null, expand: (id) => expand(id), ready: null };

const filters = filterControls($('#graph-filters'), { prefix: 'g' });
const updateExports = exportLinks($('#export-links'), filterParams);
filters.onChange(() => { updateExports(); reload(); });

entityPicker($('#center-picker'), 'Entity', (e) => {
  const url = new URL(window.location.href);
  url.searchParams.set('entity', e.id);
  window.history.replaceState(null, '', url);
  if (cy) { cy.elements().remove(); expanded.length = 0; }
  expand(e.id, { fit: true }).catch((err) => { status.textContent = errorText(err); });
}, { id: 'center' });

const pickers = {
  source: entityPicker($('#path-pickers'), 'From', (e) => { pathEnds.source = e.id; }, { id: 'path-from' }),
  target: entityPicker($('#path-pickers'), 'To', (e) => { pathEnds.target = e.id; }, { id: 'path-to' }),
};
$('#find-path').addEventListener('click', findPath);
$('#clear-path').addEventListener('click', clearPath);
$('#fit').addEventListener('click', () => cy && fitAll());
$('#relayout').addEventListener('click', () => cy && layout({ randomize: false }).then(() => cy.fit(undefined, 30)));
$('#reset').addEventListener('click', () => {
  if (cy) cy.elements().remove();
  expanded.length = 0;
  pathEnds = { source: null, target: null };
  clear(details);
  setStatus();
});

legend();
initPage();
investigationPanel($('#investigation-panel'), {
  cy: () => cy, makeCy, addElements, layout, setStatus, fit: fitAll,
  clear: () => { if (cy) cy.elements().remove(); expanded.length = 0; clear(details); },
});

async function start() {
  const t0 = performance.now();
  try {
    if (params.get('network')) {
      await loadNetwork();
    } else if (params.get('entity')) {
      status.textContent = 'Loading…';
      await expand(params.get('entity'), { fit: true });
    } else {
      status.textContent = 'Choose an entity to start, or open the whole network with ?network=1.';
      return;
    }
    window.fwGraph.ready = { nodes: cy.nodes().length, edges: cy.edges().length, ms: performance.now() - t0,
      sinceNavigation: performance.now() };
    document.body.setAttribute('data-graph-ready', '1');
  } catch (err) {
    status.textContent = errorText(err);
    document.body.setAttribute('data-graph-ready', 'error');
  }
}
start();
