// A fast layout for large views (thousands of nodes), where force-directed layouts take seconds:
// a radial tree from each component's best-connected node (angles in proportion to subtree size), then a
// few rounds of forces with repulsion only between nearby nodes (a spatial grid): O(n) per round.

function components(n, adj) {
  const comp = new Int32Array(n).fill(-1);
  const roots = [];
  for (let s = 0; s < n; s += 1) {
    if (comp[s] >= 0) continue;
    const members = [s];
    comp[s] = roots.length;
    for (let i = 0; i < members.length; i += 1) {
      for (const v of adj[members[i]]) if (comp[v] < 0) { comp[v] = roots.length; members.push(v); }
    }
    let best = s;
    for (const m of members) if (adj[m].length > adj[best].length) best = m;
    roots.push({ root: best, size: members.length });
  }
  return roots;
}

// Radial tree of one component around (cx, cy); returns its radius.
function radial(root, adj, x, y, cx, cy, step, done) {
  const parent = new Map([[root, -1]]);
  const order = [root];
  const depth = new Map([[root, 0]]);
  for (let i = 0; i < order.length; i += 1) {
    const u = order[i];
    for (const v of adj[u]) {
      if (!parent.has(v) && !done[v]) { parent.set(v, u); depth.set(v, depth.get(u) + 1); order.push(v); }
    }
  }
  const kids = new Map(order.map((u) => [u, []]));
  for (const u of order) if (parent.get(u) >= 0) kids.get(parent.get(u)).push(u);
  const weight = new Map();
  for (let i = order.length - 1; i >= 0; i -= 1) {
    const u = order[i];
    weight.set(u, 1 + kids.get(u).reduce((a, k) => a + weight.get(k), 0));
  }
  const wedge = new Map([[root, [0, 2 * Math.PI]]]);
  let maxDepth = 0;
  for (const u of order) {
    const [a0, a1] = wedge.get(u);
    const d = depth.get(u);
    maxDepth = Math.max(maxDepth, d);
    const angle = (a0 + a1) / 2;
    x[u] = cx + d * step * Math.cos(angle);
    y[u] = cy + d * step * Math.sin(angle);
    done[u] = 1;
    let a = a0;
    const total = weight.get(u) - 1;
    for (const k of kids.get(u)) {
      const span = ((a1 - a0) * weight.get(k)) / total;
      wedge.set(k, [a, a + span]);
      a += span;
    }
  }
  return (maxDepth + 1) * step;
}

function relax(n, edges, x, y, rounds, length) {
  const cell = 2 * length;
  const k2 = length * length;
  let temperature = length;
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let r = 0; r < rounds; r += 1) {
    dx.fill(0);
    dy.fill(0);
    const grid = new Map();
    for (let i = 0; i < n; i += 1) {
      const key = `${Math.floor(x[i] / cell)},${Math.floor(y[i] / cell)}`;
      if (!grid.has(key)) grid.set(key, []);
      grid.get(key).push(i);
    }
    for (let i = 0; i < n; i += 1) { // repulsion from the nodes in this and the 8 neighbouring cells
      const gx = Math.floor(x[i] / cell);
      const gy = Math.floor(y[i] / cell);
      for (let ox = -1; ox <= 1; ox += 1) {
        for (let oy = -1; oy <= 1; oy += 1) {
          for (const j of grid.get(`${gx + ox},${gy + oy}`) || []) {
            if (j === i) continue;
            let ddx = x[i] - x[j];
            let ddy = y[i] - y[j];
            let d2 = ddx * ddx + ddy * ddy;
            if (d2 < 0.01) { ddx = Math.random() - 0.5; ddy = Math.random() - 0.5; d2 = 0.5; }
            if (d2 > cell * cell) continue;
            dx[i] += (ddx * k2) / d2;
            dy[i] += (ddy * k2) / d2;
          }
        }
      }
    }
    for (const [a, b] of edges) { // attraction along claims
      const ddx = x[a] - x[b];
      const ddy = y[a] - y[b];
      const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.1;
      const f = d / length;
      dx[a] -= ddx * f; dy[a] -= ddy * f;
      dx[b] += ddx * f; dy[b] += ddy * f;
    }
    for (let i = 0; i < n; i += 1) {
      const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
      if (d > 0) {
        const move = Math.min(d, temperature);
        x[i] += (dx[i] / d) * move;
        y[i] += (dy[i] / d) * move;
      }
    }
    temperature *= 0.93;
  }
}

// Positions every node of `cy` (no animation); resolves when done, like a Cytoscape layout.
export function radialForceLayout(cy, { length = 45, rounds = 40 } = {}) {
  const nodes = cy.nodes();
  const n = nodes.length;
  const index = new Map();
  nodes.forEach((node, i) => index.set(node.id(), i));
  const adj = Array.from({ length: n }, () => []);
  const edges = [];
  cy.edges().forEach((e) => {
    const a = index.get(e.source().id());
    const b = index.get(e.target().id());
    if (a === undefined || b === undefined || a === b) return;
    adj[a].push(b);
    adj[b].push(a);
    edges.push([a, b]);
  });
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const done = new Uint8Array(n);
  // Components largest first, side by side in rows.
  const comps = components(n, adj).sort((p, q) => q.size - p.size);
  let cursorX = 0;
  let cursorY = 0;
  let rowHeight = 0;
  const rowWidth = Math.sqrt(n) * length * 6;
  for (const c of comps) {
    const guess = Math.max(length, Math.sqrt(c.size) * length * 1.2);
    if (cursorX > rowWidth) { cursorX = 0; cursorY += rowHeight; rowHeight = 0; }
    const radius = radial(c.root, adj, x, y, cursorX + guess, cursorY + guess, length * 1.5, done);
    cursorX += 2 * Math.max(radius, guess) + length;
    rowHeight = Math.max(rowHeight, 2 * Math.max(radius, guess) + length);
  }
  relax(n, edges, x, y, rounds, length);
  cy.batch(() => nodes.positions((node, i) => ({ x: x[i], y: y[i] })));
  return Promise.resolve();
}
