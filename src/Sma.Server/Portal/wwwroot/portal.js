// The Sma portal: one page, views by the address's #fragment, data from SMA's OData service (verbose JSON) and
// /portal/api, signed in by the session cookie. Every change sends the page's anti-forgery token. No other origin.
'use strict';

const ROOT = '/00000000-0000-0000-0000-000000000000/';
const CSRF = document.querySelector('meta[name="sma-csrf"]').content;
const ROLE = document.querySelector('meta[name="sma-role"]').content;
const CAN_OPERATE = ROLE === 'Operator' || ROLE === 'Administrator';
const STATUSES = ['Queued', 'Starting', 'Running', 'Completed', 'Failed', 'Stopping', 'Stopped', 'Suspending', 'Suspended', 'Resuming'];
const COLORS = ['#8a8a8a', '#b58900', '#268bd2', '#2e8b57', '#dc322f', '#cb4b16', '#6c71c4', '#d33682', '#2aa198', '#859900'];
const SERVICE_NAMES = { New: 'Queued', Activating: 'Starting' };
const FINAL = ['Completed', 'Failed', 'Stopped'];
const REFRESH_MS = 3000;

const view = document.getElementById('view');
let refreshTimer = null;
let hiddenStatuses = new Set();

// ---------- data ----------

async function request(path, options = {}) {
  const headers = { Accept: 'application/json;odata=verbose' };
  if (options.method && options.method !== 'GET') {
    headers['X-CSRF-TOKEN'] = CSRF;
    headers['Content-Type'] = 'application/json';
  }
  const url = path.startsWith('/') || path.startsWith('http') ? path : ROOT + path;
  const response = await fetch(url, { method: options.method || 'GET', headers, body: options.body, credentials: 'same-origin' });
  if (response.status === 401) { location.href = '/portal/login'; throw new Error('Signed out'); }
  const text = await response.text();
  let data = null;
  if (text && (response.headers.get('Content-Type') || '').includes('json')) data = JSON.parse(text);
  else if (text) data = text;
  if (!response.ok) throw new Error((data && data.error && data.error.message && data.error.message.value) || response.statusText);
  return data && data.d !== undefined ? data.d : data;
}

const odata = (path) => request(path);
const api = (path) => request('/portal/api/' + path);

function parseDate(value) {
  if (!value) return null;
  const m = /\/Date\((-?\d+)/.exec(value);
  return m ? new Date(Number(m[1])) : new Date(value);
}

function formatDate(value) {
  const d = value instanceof Date ? value : parseDate(value);
  if (!d) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const portalStatus = (s) => SERVICE_NAMES[s] || s;
const quote = (text) => "'" + String(text).replace(/'/g, "''") + "'";
const odataTime = (date) => `datetime'${date.toISOString().replace('Z', '')}'`;

// ---------- DOM helpers (text only: nothing from the server is ever parsed as HTML) ----------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(...nodes) {
  view.replaceChildren(...nodes);
}

function table(headers, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, rows));
}

function failure(error) {
  return el('p', { role: 'alert', class: 'error' }, error.message || String(error));
}

function live(refresh) {
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => refresh().catch(() => {}), REFRESH_MS);
}

// ---------- dashboard ----------

async function dashboard(params) {
  const range = params.get('range') || 'hours=24';
  const runbook = params.get('runbook') || '';
  const select = el('select', { id: 'range', 'aria-label': 'Time range', onchange: () => go('dashboard', { range: select.value, runbook }) },
    [['hours=24', 'Last 24 hours'], ['hours=72', 'Last 3 days by hour'], ['days=7', 'Last 7 days'], ['days=30', 'Last 30 days']]
      .map(([value, label]) => el('option', { value, selected: value === range }, label)));
  const chart = el('div', { class: 'chart' });
  const legend = el('div', { class: 'legend', role: 'group', 'aria-label': 'Statuses shown' });
  show(el('h2', {}, runbook ? `Runbook dashboard: ${runbook}` : 'Automation dashboard'), el('div', { class: 'toolbar' }, select), chart, legend);
  async function refresh() {
    const summary = await api(`summary?${range}${runbook ? '&runbook=' + encodeURIComponent(runbook) : ''}`);
    chart.replaceChildren(drawChart(summary));
    legend.replaceChildren(...summary.statuses.map((status, i) => {
      const button = el('button', {
        type: 'button', class: 'toggle', 'data-status': status, 'aria-pressed': String(!hiddenStatuses.has(status)),
        onclick: () => { hiddenStatuses.has(status) ? hiddenStatuses.delete(status) : hiddenStatuses.add(status); refresh(); },
      }, `${status} (${summary.slices.reduce((sum, s) => sum + s.counts[i], 0)})`);
      button.style.setProperty('--c', COLORS[i]); // through the CSSOM: the policy allows no inline style attribute
      return button;
    }));
  }
  await refresh();
  live(refresh);
}

function drawChart(summary) {
  const ns = 'http://www.w3.org/2000/svg';
  const width = 900, height = 260, left = 40, bottom = 24;
  const slices = summary.slices;
  const visible = summary.statuses.map((s, i) => [s, i]).filter(([s]) => !hiddenStatuses.has(s));
  const max = Math.max(1, ...slices.flatMap((s) => visible.map(([, i]) => s.counts[i])));
  const x = (k) => left + (slices.length <= 1 ? 0 : (k * (width - left - 10)) / (slices.length - 1));
  const y = (v) => height - bottom - (v * (height - bottom - 10)) / max;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Jobs entering each status per ${summary.unit.toLowerCase()}`);
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  add('line', { x1: left, y1: y(0), x2: width - 10, y2: y(0), class: 'axis' });
  add('text', { x: 4, y: y(max) + 4, class: 'label' }, String(max));
  add('text', { x: 4, y: y(0), class: 'label' }, '0');
  slices.forEach((s, k) => {
    if (k % Math.ceil(slices.length / 8) === 0) {
      const d = new Date(s.start);
      add('text', { x: x(k), y: height - 6, class: 'label' }, summary.unit === 'Hour' ? `${String(d.getHours()).padStart(2, '0')}:00` : `${d.getMonth() + 1}/${d.getDate()}`);
    }
  });
  for (const [status, i] of visible) {
    add('polyline', { points: slices.map((s, k) => `${x(k)},${y(s.counts[i])}`).join(' '), stroke: COLORS[i], class: 'series', 'data-status': status });
  }
  return svg;
}

// ---------- jobs ----------

async function jobs(params) {
  const status = params.get('status') || '';
  const from = params.get('from') || '';
  const to = params.get('to') || '';
  // Pages of 50 by position: a page that completes $top has no next link of the service's own.
  const page = Math.max(0, parseInt(params.get('page') || '0', 10) || 0);
  const statusSelect = el('select', { name: 'status', id: 'status' }, el('option', { value: '' }, 'All statuses'),
    STATUSES.map((s) => el('option', { value: s, selected: s === status }, s)));
  const fromInput = el('input', { type: 'datetime-local', name: 'from', id: 'from', value: from });
  const toInput = el('input', { type: 'datetime-local', name: 'to', id: 'to', value: to });
  const filters = el('form', {
    class: 'toolbar', onsubmit: (e) => { e.preventDefault(); go('jobs', { status: statusSelect.value, from: fromInput.value, to: toInput.value }); },
  }, el('label', {}, 'Status ', statusSelect), el('label', {}, 'Created from ', fromInput), el('label', {}, 'to ', toInput), el('button', { type: 'submit' }, 'Filter'));
  const body = el('div');
  show(el('h2', {}, 'Jobs'), filters, body);

  const terms = [];
  if (status) terms.push(`JobStatus eq ${quote(status)}`);
  if (from) terms.push(`CreationTime ge ${odataTime(new Date(from))}`);
  if (to) terms.push(`CreationTime le ${odataTime(new Date(to))}`);
  const query = `Jobs?$orderby=CreationTime desc&$top=50&$skip=${page * 50}&$inlinecount=allpages${terms.length ? '&$filter=' + encodeURIComponent(terms.join(' and ')) : ''}`;
  async function refresh() {
    const result = await odata(query);
    const rows = result.results.map((job) => el('tr', {
      tabindex: '0', class: 'link', 'data-job': job.JobID,
      onclick: () => go('job/' + job.JobID), onkeydown: (e) => { if (e.key === 'Enter') go('job/' + job.JobID); },
    }, el('td', {}, job.RunbookName), el('td', { class: 'status ' + portalStatus(job.JobStatus) }, portalStatus(job.JobStatus)),
    el('td', {}, formatDate(job.CreationTime)), el('td', {}, formatDate(job.LastModifiedTime)), el('td', {}, job.StartedBy || '')));
    const next = (page + 1) * 50 < Number(result.__count) ? el('button', { type: 'button', onclick: () => go('jobs', { status, from, to, page: page + 1 }) }, 'Next page') : null;
    const first = page ? el('button', { type: 'button', onclick: () => go('jobs', { status, from, to }) }, 'First page') : null;
    body.replaceChildren(el('p', { class: 'count' }, `${result.__count} job(s)`), table(['Runbook', 'Status', 'Created', 'Last change', 'Started by'], rows), el('div', { class: 'pager' }, first, next));
  }
  await refresh();
  live(refresh);
}

async function job(id) {
  const summary = el('section', { 'aria-label': 'Summary' });
  const actions = el('div', { class: 'toolbar' });
  const tabs = {
    output: el('section', { id: 'output', 'aria-label': 'Output' }),
    history: el('section', { id: 'history', 'aria-label': 'History', hidden: true }),
    source: el('section', { id: 'source', 'aria-label': 'Source', hidden: true }),
  };
  const tabBar = el('div', { role: 'tablist', class: 'tabs' }, Object.keys(tabs).map((name) => el('button', {
    type: 'button', role: 'tab', 'aria-selected': String(name === 'output'), 'data-tab': name,
    onclick: (e) => {
      for (const [n, section] of Object.entries(tabs)) section.hidden = n !== name;
      for (const b of tabBar.children) b.setAttribute('aria-selected', String(b === e.currentTarget));
    },
  }, name[0].toUpperCase() + name.slice(1))));
  show(el('h2', {}, 'Job ', el('code', {}, id)), summary, actions, tabBar, ...Object.values(tabs));

  async function act(action) {
    try { await request(`Jobs(guid'${id}')/${action}`, { method: 'POST' }); await refresh(); }
    catch (e) { actions.append(failure(e)); }
  }
  async function refresh() {
    const [jobEntry, parameters, streams, details] = await Promise.all([
      odata(`Jobs(guid'${id}')`), odata(`JobContexts(guid'${id}')/JobParameters`),
      odata(`JobStreams/GetStreamItems?jobId='${id}'&streamType='Any'`), api('jobs/' + id),
    ]);
    const status = portalStatus(jobEntry.JobStatus);
    const fields = [
      ['Runbook', jobEntry.RunbookName], ['Status', status], ['Details', jobEntry.StatusDetails || ''], ['Created', formatDate(jobEntry.CreationTime)],
      ['Started', formatDate(jobEntry.StartTime)], ['Ended', formatDate(jobEntry.EndTime)], ['Started by', jobEntry.StartedBy || ''], ['Worker', jobEntry.Worker || ''],
      ['Errors', jobEntry.ErrorCount], ['Warnings', jobEntry.WarningCount], ['Exception', jobEntry.JobException || ''],
    ];
    summary.replaceChildren(el('dl', {}, fields.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-field': k }, v)])),
    el('h3', {}, 'Parameters'), table(['Name', 'Value'], parameters.results.map((p) => el('tr', {}, el('td', {}, p.Name), el('td', {}, p.Value ?? '')))));
    actions.replaceChildren(...(CAN_OPERATE ? [['Stop', ['Queued', 'Starting', 'Running', 'Suspending', 'Suspended', 'Resuming']], ['Suspend', ['Running']], ['Resume', ['Suspended']]]
      .filter(([, when]) => when.includes(status)).map(([name]) => el('button', { type: 'button', onclick: () => act(name) }, name)) : []));
    tabs.output.replaceChildren(table(['Time', 'Stream', 'Text'], streams.results.map((r) => el('tr', { class: 'stream ' + r.StreamTypeName },
      el('td', {}, formatDate(r.StreamTime)), el('td', {}, r.StreamTypeName), el('td', {}, el('pre', {}, r.StreamText))))));
    tabs.history.replaceChildren(table(['Time', 'From', 'To', 'Worker', 'Details'], details.history.map((h) => el('tr', {},
      el('td', {}, formatDate(h.time)), el('td', {}, h.from || '(new)'), el('td', {}, h.to), el('td', {}, h.worker || ''), el('td', {}, h.details || '')))));
    tabs.source.replaceChildren(el('pre', { class: 'source' }, details.source),
      details.translated ? el('h3', {}, 'Translated for PowerShell 7') : null, details.translated ? el('pre', { class: 'source' }, details.translated) : null);
    if (FINAL.includes(status)) clearInterval(refreshTimer);
  }
  await refresh();
  live(refresh);
}

// ---------- runbooks ----------

async function runbooks() {
  const result = await odata('Runbooks?$orderby=RunbookName');
  show(el('h2', {}, 'Runbooks'), table(['Name', 'Type', 'Published', 'Last change', ''], result.results.map((r) => el('tr', {},
    el('td', {}, el('a', { href: '#dashboard?runbook=' + encodeURIComponent(r.RunbookName) }, r.RunbookName)),
    el('td', {}, r.RunbookType === 'Script' ? 'Workflow' : 'Script'), el('td', {}, r.PublishedRunbookVersionID ? 'yes' : 'draft only'),
    el('td', {}, formatDate(r.LastModifiedTime)),
    el('td', {}, CAN_OPERATE && r.PublishedRunbookVersionID ? el('a', { href: '#start/' + r.RunbookID }, 'Start…') : '')))));
}

async function start(id) {
  const runbook = await odata(`Runbooks(guid'${id}')`);
  const parameters = await odata(`RunbookVersions(guid'${runbook.PublishedRunbookVersionID}')/RunbookParameters`);
  const inputs = parameters.results.map((p) => ({ name: p.Name, input: el('input', { name: p.Name, id: 'p-' + p.Name, required: p.IsMandatory }) , type: p.Type }));
  const message = el('div');
  const form = el('form', {
    class: 'start', onsubmit: async (e) => {
      e.preventDefault();
      const values = inputs.filter((i) => i.input.value !== '').map((i) => ({ __metadata: { type: 'Orchestrator.ResourceModel.NameValuePair' }, Name: i.name, Value: i.input.value }));
      try {
        const started = await request(`Runbooks(guid'${id}')/Start`, { method: 'POST', body: JSON.stringify({ parameters: values }) });
        go('job/' + started.Start);
      } catch (error) { message.replaceChildren(failure(error)); }
    },
  }, inputs.map((i) => el('label', { for: 'p-' + i.name }, `${i.name} [${i.type.replace(/^System\./, '')}]${i.input.required ? ' *' : ''}`, i.input)),
  el('p', { class: 'hint' }, 'Arrays and hashtables as JSON: ["a","b"], {"key":"value"}.'), message, el('button', { type: 'submit' }, 'Start'));
  show(el('h2', {}, `Start ${runbook.RunbookName}`), form);
}

// ---------- assets and workers ----------

async function assets() {
  const sections = [
    ['Variables', ['Name', 'Value', 'Encrypted', 'Last change'], (v) => [v.Name, v.IsEncrypted ? '(encrypted)' : v.Value ?? '', v.IsEncrypted ? 'yes' : 'no', formatDate(v.LastModifiedTime)]],
    ['Credentials', ['Name', 'User name', 'Last change'], (c) => [c.Name, c.UserName, formatDate(c.LastModifiedTime)]],
    ['Connections', ['Name', 'Type', 'Last change'], (c) => [c.Name, c.ConnectionTypeName, formatDate(c.LastModifiedTime)]],
    ['Certificates', ['Name', 'Thumbprint', 'Expires'], (c) => [c.Name, c.Thumbprint, formatDate(c.ExpiryTime)]],
  ];
  const nodes = [el('h2', {}, 'Assets'), el('p', { class: 'hint' }, 'Secrets are never shown.')];
  for (const [set, headers, cells] of sections) {
    try {
      const result = await odata(`${set}?$orderby=Name`);
      nodes.push(el('h3', {}, set), table(headers, result.results.map((item) => el('tr', {}, cells(item).map((c) => el('td', {}, c))))));
    } catch (error) { nodes.push(el('h3', {}, set), failure(error)); }
  }
  show(...nodes);
}

async function workers() {
  const body = el('div');
  show(el('h2', {}, 'Workers'), body);
  async function refresh() {
    const list = await api('workers');
    body.replaceChildren(table(['Name', 'Computer', 'Process', 'Status', 'Last heartbeat', 'Running jobs', 'Throttle'], list.map((w) => el('tr', {},
      [w.name, w.computerName, w.processId, w.status, formatDate(w.lastHeartbeat), w.runningJobs, w.throttleLimit].map((c) => el('td', {}, c))))));
  }
  await refresh();
  live(refresh);
}

// ---------- routing ----------

function go(name, params) {
  const query = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString() : '';
  location.hash = name + (query ? '?' + query : '');
}

async function route() {
  clearInterval(refreshTimer);
  const [name, query] = location.hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  const [kind, id] = (name || 'dashboard').split('/');
  for (const link of document.querySelectorAll('nav a')) link.setAttribute('aria-current', String(link.getAttribute('href') === '#' + kind));
  try {
    switch (kind) {
      case 'jobs': await jobs(params); break;
      case 'job': await job(id); break;
      case 'runbooks': await runbooks(); break;
      case 'start': await start(id); break;
      case 'assets': await assets(); break;
      case 'workers': await workers(); break;
      default: await dashboard(params);
    }
  } catch (error) {
    show(failure(error));
  }
  view.focus();
}

window.addEventListener('hashchange', route);
route();
