// Fetch helpers for the JSON API (docs/web-contract.md). Every write sends the session's CSRF token.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return (meta && meta.getAttribute('content')) || (meCache && meCache.csrf) || '';
}

// A query string from an object; arrays repeat the key, empty values are left out.
export function query(params) {
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === undefined || v === null || v === '' || v === false) continue;
      qs.append(key, String(v));
    }
  }
  const s = qs.toString();
  return s ? `?${s}` : '';
}

async function handle(response) {
  let body = null;
  const type = response.headers.get('content-type') || '';
  if (type.includes('json')) body = await response.json();
  if (response.status === 401 && !response.url.endsWith('/api/me')) {
    window.location.assign('/login'); // the session ended: log in again
  }
  if (!response.ok) {
    let detail = body && body.detail;
    if (detail && typeof detail !== 'string') detail = JSON.stringify(detail);
    throw new ApiError(response.status, detail || response.statusText);
  }
  return body;
}

export async function getJSON(path, params) {
  const response = await fetch(path + query(params), {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
  });
  return handle(response);
}

// A JSON body sent with the session's CSRF token (POST, PATCH, PUT, DELETE).
function send(method, path, body) {
  return fetch(path, {
    method,
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'X-CSRF-Token': csrfToken(),
    },
    credentials: 'same-origin',
    body: JSON.stringify(body === undefined ? {} : body),
  });
}

// The JSON answer (null when there is none); an error answer throws ApiError.
export async function sendJSON(method, path, body) {
  return handle(await send(method, path, body));
}

// The answer itself, for a file to download; an error answer throws ApiError.
export async function sendForFile(method, path, body) {
  const response = await send(method, path, body);
  if (!response.ok) await handle(response);
  return response;
}

export function postJSON(path, body) {
  return sendJSON('POST', path, body);
}

let meCache = null;
let mePromise = null;

// The current user: {user: {name, role} | null, csrf, read_only}. Fetched once per page.
export function me() {
  if (!mePromise) {
    mePromise = getJSON('/api/me')
      .then((m) => { meCache = m; return m; })
      .catch(() => ({ user: null, csrf: null, read_only: true }));
  }
  return mePromise;
}

// True when the current user may review, merge and split.
export async function canWrite() {
  const m = await me();
  if (m.read_only || !m.user) return false;
  return m.user.role === 'analyst' || m.user.role === 'admin';
}

export function patchJSON(path, body) {
  return sendJSON('PATCH', path, body);
}
