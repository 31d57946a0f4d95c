// Mirador's web explorer: search as you type, facets, a metric's page with its labels, suggested query and live
// preview, tenants and their syncs. Everything goes through the catalog's own REST API; the state is in the URL.

const API = '/api/v1/metrics';
const PAGE_SIZE = 20;
const KEY_STORE = 'mirador.key';
const $ = (id) => document.getElementById(id);

const app = {
  view: null,          // /api/v1/metrics/explorer: tenants, role, links, facet labels
  state: {},           // what the URL says
  searchSeq: 0,        // answers to older keystrokes are dropped
  searchAbort: null,
  selected: -1,        // the highlighted result (keyboard)
  suggestions: [],
  suggestSel: -1,
  statusTimer: null,
};

// ---- the URL is the state ----

function readUrl() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get('q') || '',
    tenant: p.get('tenant') || '',
    metric: p.get('metric') || '',
    types: p.getAll('type'),
    units: p.getAll('unit'),
    keys: p.getAll('key'),
    labels: p.getAll('label'),          // "job=node"
    sort: p.get('sort') || 'relevance',
    page: Math.max(1, parseInt(p.get('page') || '1', 10) || 1),
  };
}

function urlOf(s) {
  const p = new URLSearchParams();
  if (s.metric) {
    p.set('metric', s.metric);
  } else {
    if (s.q) p.set('q', s.q);
    s.types.forEach((v) => p.append('type', v));
    s.units.forEach((v) => p.append('unit', v));
    s.keys.forEach((v) => p.append('key', v));
    s.labels.forEach((v) => p.append('label', v));
    if (s.sort && s.sort !== 'relevance') p.set('sort', s.sort);
    if (s.page > 1) p.set('page', String(s.page));
  }
  if (s.tenant && app.view && s.tenant !== app.view.default_tenant) p.set('tenant', s.tenant);
  const qs = p.toString();
  return '/' + (qs ? '?' + qs : '');
}

// push: a new entry (a metric opened, a facet picked); replace: typing, which would flood the history
function go(changes, mode = 'push') {
  const next = { ...app.state, ...changes };
  const url = urlOf(next);
  if (mode === 'push') history.pushState(null, '', url); else history.replaceState(null, '', url);
  app.state = readUrl();
  if (!app.state.tenant && app.view) app.state.tenant = app.view.default_tenant;
  render();
}

window.addEventListener('popstate', () => {
  app.state = readUrl();
  if (!app.state.tenant && app.view) app.state.tenant = app.view.default_tenant;
  render();
});

// ---- the API, with the key in a header ----

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || ('HTTP ' + status));
    this.status = status;
  }
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const key = sessionStorage.getItem(KEY_STORE);
  if (key) headers['X-API-Key'] = key;
  if (options.body) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { ...options, headers });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new ApiError(res.status, body);
    if (res.status === 401) askForKey(key ? 'The key you gave was not accepted. Enter another one.' : 'This catalog needs an API key.');
    throw err;
  }
  return body;
}

function plain(err) {
  if (err.name === 'AbortError') return null;
  if (err.status === 401) return 'An API key is needed to see this catalog.';
  if (err.status === 403) return 'Your API key may not do this: ' + err.message;
  if (err.status === 404) return err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.';
  if (err.status === 409) return 'A sync of this tenant is already running.';
  if (err.status >= 500) return 'The catalog could not answer: ' + err.message;
  return err.message;
}

function say(text) {
  const m = $('message');
  m.textContent = text || '';
  m.hidden = !text;
}

function askForKey(reason) {
  $('key-reason').textContent = reason;
  $('key-form').hidden = false;
  $('search-view').hidden = true;
  $('metric-view').hidden = true;
  $('key').focus();
}

$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY_STORE, $('key').value.trim());
  $('key').value = '';
  $('key-form').hidden = true;
  start();
});

$('change-key').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORE);
  askForKey('Enter the API key to use.');
});

// ---- elements ----

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

// A text with <em>..</em> around what matched, as nodes: the text itself is never read as HTML.
function marked(text, highlighted) {
  if (!highlighted) return [text];
  const out = [];
  const parts = highlighted.split(/<\/?em>/);
  parts.forEach((part, i) => { if (part) out.push(i % 2 === 1 ? el('mark', {}, part) : part); });
  return out;
}

const number = new Intl.NumberFormat();
function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  const ago = (Date.now() - d.getTime()) / 1000;
  const rel = ago < 90 ? Math.round(ago) + ' s ago' : ago < 5400 ? Math.round(ago / 60) + ' min ago'
    : ago < 172800 ? Math.round(ago / 3600) + ' h ago' : Math.round(ago / 86400) + ' days ago';
  return el('time', { datetime: iso, title: d.toLocaleString() }, rel);
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select and copy';
  }
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

// ---- search ----

let typingTimer = null;
$('q').addEventListener('input', () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    go({ q: $('q').value, metric: '', page: 1 }, app.state.metric ? 'push' : 'replace');
    suggest($('q').value);
  }, 40);
});

$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (app.suggestSel >= 0) return openMetric(app.suggestions[app.suggestSel].name);
  if (app.selected >= 0 && app.results && app.results[app.selected]) return openMetric(app.results[app.selected].name);
  go({ q: $('q').value, metric: '', page: 1 });
});

$('sort').addEventListener('change', () => go({ sort: $('sort').value, page: 1 }));
$('tenant').addEventListener('change', () => go({ tenant: $('tenant').value, page: 1 }));

function searchBody(s) {
  const labels = {};
  s.keys.forEach((k) => { labels[k] = '*'; });
  s.labels.forEach((pair) => {
    const at = pair.indexOf('=');
    if (at > 0) labels[pair.slice(0, at)] = pair.slice(at + 1);
  });
  return {
    query: s.q, tenant_id: s.tenant, limit: PAGE_SIZE, offset: (s.page - 1) * PAGE_SIZE,
    types: s.types, units: s.units, labels, sort: s.sort, facets: true, highlight: true,
  };
}

async function search() {
  const s = app.state;
  const seq = ++app.searchSeq;
  if (app.searchAbort) app.searchAbort.abort();
  app.searchAbort = new AbortController();
  const started = performance.now();
  try {
    const answer = await api(API + '/search', {
      method: 'POST', body: JSON.stringify(searchBody(s)), signal: app.searchAbort.signal,
    });
    if (seq !== app.searchSeq) return;
    say('');
    showResults(answer, s);
    performance.mark('results-painted');
    document.body.dataset.searchMs = String(Math.round(performance.now() - started));
  } catch (err) {
    if (seq === app.searchSeq && plain(err)) say(plain(err));
  }
}

function showResults(answer, s) {
  app.results = answer.results;
  app.selected = -1;
  const total = answer.total;
  const first = total === 0 ? 0 : (s.page - 1) * PAGE_SIZE + 1;
  const last = (s.page - 1) * PAGE_SIZE + answer.results.length;
  $('results-heading').textContent = total === 0 ? 'No metric matches.'
    : `${number.format(first)}–${number.format(last)} of ${number.format(total)} metrics`
      + (answer.mode === 'hybrid' ? ' · by words and meaning' : '');
  $('results').replaceChildren(...answer.results.map((r, i) => resultItem(r, i)));
  showFacets(answer.facets || {}, s);
  showPager(total, s);
}

function resultItem(r, i) {
  const h = r.highlights || {};
  return el('li', {
    id: 'result-' + i, role: 'option', 'aria-selected': 'false', 'data-name': r.name,
    onclick: () => openMetric(r.name),
  },
  el('div', { class: 'name mono' }, el('a', { href: urlOf({ ...app.state, metric: r.name }), onclick: (e) => {
    // a click opens the metric here (the list item does it); with a modifier the browser opens the link elsewhere
    if (e.ctrlKey || e.metaKey || e.shiftKey) e.stopPropagation(); else e.preventDefault();
  } }, ...marked(r.name, h.name))),
  r.help ? el('p', { class: 'help' }, ...marked(r.help, h.help)) : null,
  el('div', { class: 'meta' },
    r.type ? el('span', { class: 'badge ' + r.type }, r.type) : null,
    r.unit ? el('span', { class: 'badge unit' }, r.unit) : null,
    el('span', {}, number.format(r.series_count || 0) + ' series'),
    r.match && r.match !== 'lexical' ? el('span', { title: 'found by meaning' }, r.match === 'semantic' ? '≈ by meaning' : '≈ words and meaning') : null));
}

function select(i) {
  const items = $('results').children;
  if (!items.length) return;
  app.selected = Math.max(0, Math.min(items.length - 1, i));
  for (let k = 0; k < items.length; k++) items[k].setAttribute('aria-selected', k === app.selected ? 'true' : 'false');
  items[app.selected].scrollIntoView({ block: 'nearest' });
  $('q').setAttribute('aria-activedescendant', 'result-' + app.selected);
}

function facetGroup(title, values, picked, toggle) {
  const entries = Object.entries(values || {});
  if (!entries.length && !picked.length) return null;
  // a picked value stays listed even when the other filters leave none of it
  picked.forEach((p) => { if (!entries.some(([v]) => v === p)) entries.push([p, 0]); });
  return el('section', {},
    el('h3', {}, title),
    el('ul', {}, ...entries.map(([value, n]) => el('li', {},
      el('label', {},
        el('input', { type: 'checkbox', checked: picked.includes(value), onchange: () => toggle(value) }),
        el('span', { class: 'value mono' }, value),
        el('span', { class: 'n' }, number.format(n)))))));
}

function toggled(list, value) {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

function showFacets(f, s) {
  const groups = [
    facetGroup('Type', f.types, s.types, (v) => go({ types: toggled(s.types, v), page: 1 })),
    facetGroup('Unit', f.units, s.units, (v) => go({ units: toggled(s.units, v), page: 1 })),
  ];
  for (const label of (app.view.facet_labels || [])) {
    const picked = s.labels.filter((p) => p.startsWith(label + '=')).map((p) => p.slice(label.length + 1));
    groups.push(facetGroup(label, f['label:' + label], picked, (v) => {
      const others = s.labels.filter((p) => !p.startsWith(label + '='));
      go({ labels: picked.includes(v) ? others : [...others, label + '=' + v], page: 1 });
    }));
  }
  groups.push(facetGroup('Has label', f.label_keys, s.keys, (v) => go({ keys: toggled(s.keys, v), page: 1 })));
  $('facets').replaceChildren(...groups.filter(Boolean));
}

function showPager(total, s) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  $('pager').replaceChildren(
    el('button', { type: 'button', disabled: s.page <= 1, onclick: () => go({ page: s.page - 1 }) }, '← Previous'),
    el('span', {}, `Page ${s.page} of ${pages}`),
    el('button', { type: 'button', disabled: s.page >= pages, onclick: () => go({ page: s.page + 1 }) }, 'Next →'));
}

// ---- name suggestions ----

let suggestSeq = 0;
async function suggest(typed) {
  const seq = ++suggestSeq;
  const word = typed.trim();
  if (word.length < 2 || /\s|[:=]/.test(word)) return closeSuggestions();
  try {
    const answer = await api(`${API}/suggest?q=${encodeURIComponent(word)}&tenant_id=${encodeURIComponent(app.state.tenant)}&limit=8`);
    if (seq !== suggestSeq) return;
    app.suggestions = answer.suggestions.filter((x) => x.name !== word);
    app.suggestSel = -1;
    const list = $('suggestions');
    list.replaceChildren(...app.suggestions.map((x, i) => el('li', {
      id: 'suggestion-' + i, role: 'option', 'aria-selected': 'false',
      onmousedown: (e) => { e.preventDefault(); openMetric(x.name); },
    }, el('span', { class: 'mono' }, x.name), ' ', x.type ? el('span', { class: 'badge ' + x.type }, x.type) : null)));
    list.hidden = app.suggestions.length === 0;
    $('q').setAttribute('aria-expanded', String(!list.hidden));
  } catch {
    closeSuggestions();
  }
}

function closeSuggestions() {
  suggestSeq++;
  app.suggestions = [];
  app.suggestSel = -1;
  $('suggestions').hidden = true;
  $('q').setAttribute('aria-expanded', 'false');
}

function selectSuggestion(i) {
  const items = $('suggestions').children;
  app.suggestSel = Math.max(-1, Math.min(items.length - 1, i));
  for (let k = 0; k < items.length; k++) items[k].setAttribute('aria-selected', k === app.suggestSel ? 'true' : 'false');
  $('q').setAttribute('aria-activedescendant', app.suggestSel >= 0 ? 'suggestion-' + app.suggestSel : '');
}

$('q').addEventListener('blur', () => setTimeout(closeSuggestions, 100));

// ---- the keyboard ----

document.addEventListener('keydown', (e) => {
  const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
  if (e.key === '/' && !typing) {
    e.preventDefault();
    $('q').focus();
    $('q').select();
    return;
  }
  if (e.key === 'Escape') {
    if (!$('suggestions').hidden) return closeSuggestions();
    if (app.state.metric) { e.preventDefault(); return backToSearch(); }
    if (e.target === $('q')) $('q').blur();
    return;
  }
  if (app.state.metric || (typing && e.target !== $('q'))) return;
  const suggesting = !$('suggestions').hidden;
  if (e.key === 'ArrowDown') {
    e.preventDefault();
    if (suggesting) selectSuggestion(app.suggestSel + 1); else select(app.selected + 1);
  } else if (e.key === 'ArrowUp') {
    e.preventDefault();
    if (suggesting) selectSuggestion(app.suggestSel - 1); else select(app.selected - 1);
  } else if (e.key === 'Enter' && e.target !== $('q') && app.selected >= 0) {
    e.preventDefault();
    openMetric(app.results[app.selected].name);
  }
});

function openMetric(name) {
  closeSuggestions();
  app.cameFromSearch = true;
  go({ metric: name });
}

function backToSearch() {
  if (app.cameFromSearch) { app.cameFromSearch = false; history.back(); return; }
  go({ metric: '' });
}

// ---- a metric's page ----

async function showMetric(s) {
  const view = $('metric-view');
  const seq = ++app.searchSeq;
  view.replaceChildren(el('p', { class: 'note' }, 'Loading ' + s.metric + '…'));
  let doc;
  try {
    doc = await api(`${API}/${encodeURIComponent(s.tenant)}/${encodeURIComponent(s.metric)}`);
  } catch (err) {
    if (seq === app.searchSeq) view.replaceChildren(el('p', { class: 'message', role: 'alert' }, plain(err) || ''),
      el('button', { type: 'button', onclick: backToSearch }, '← Back to the search'));
    return;
  }
  if (seq !== app.searchSeq) return;
  document.title = doc.name + ' · Mirador';
  const copyName = el('button', { type: 'button', class: 'small', 'aria-label': 'Copy the metric name' }, 'Copy');
  copyName.addEventListener('click', () => copy(doc.name, copyName));
  const queryBox = el('div', { class: 'query', id: 'suggested-query' }, el('span', { class: 'note' }, 'Preparing the suggested query…'));
  const chart = el('div', { class: 'chart', id: 'chart', 'aria-label': 'Last hour of the suggested query' });
  view.replaceChildren(
    el('p', {}, el('button', { type: 'button', class: 'link', onclick: backToSearch }, '← Back to the search')),
    el('h1', {}, el('span', { class: 'mono', id: 'metric-name' }, doc.name), copyName,
      doc.type ? el('span', { class: 'badge ' + doc.type }, doc.type) : null,
      doc.unit ? el('span', { class: 'badge unit' }, doc.unit) : null),
    el('p', { class: 'help' }, doc.help || 'This metric has no help text.'),
    el('dl', { class: 'facts' },
      fact('Type', doc.type || 'unknown'), fact('Type from', doc.type_source === 'metadata' ? 'the source\'s metadata' : 'inferred from the name'),
      fact('Unit', doc.unit || '—'), fact('Series', number.format(doc.series_count || 0)),
      fact('First seen', when(doc.first_seen)), fact('Last seen', when(doc.last_seen)),
      fact('Tenant', doc.tenant_id)),
    el('h2', {}, 'Suggested query'), queryBox, chart,
    el('h2', {}, 'Labels'), labelTable(doc));
  preview(doc, queryBox, chart, seq);
}

function fact(name, value) {
  return el('div', {}, el('dt', {}, name), el('dd', {}, value));
}

function labelTable(doc) {
  const card = doc.label_cardinality || {};
  const keys = [...new Set([...(doc.label_keys || []), ...Object.keys(card)])]
    .sort((a, b) => (card[b] || 0) - (card[a] || 0) || a.localeCompare(b));
  if (!keys.length) return el('p', {}, 'No labels besides the name.');
  const most = Math.max(1, ...keys.map((k) => card[k] || 0));
  return el('table', { class: 'labels', id: 'labels' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Label'), el('th', { scope: 'col' }, 'Distinct values'),
      el('th', { scope: 'col', class: 'barcell' }, el('span', { class: 'visually-hidden' }, 'Share')), el('th', { scope: 'col' }, 'Values'))),
    el('tbody', {}, ...keys.map((k) => {
      const values = (doc.label_values || {})[k] || [];
      const bar = el('div', { class: 'bar-fill' });
      bar.style.width = ((card[k] || 0) / most * 100).toFixed(1) + '%';
      return el('tr', { 'data-label': k },
        el('th', { scope: 'row', class: 'mono' }, k),
        el('td', {}, number.format(card[k] || values.length)),
        el('td', { class: 'barcell' }, bar),
        el('td', {}, valueList(k, values, card[k] || values.length)));
    })));
}

function valueList(key, values, total) {
  const list = el('div', { class: 'values' });
  const fill = (filter) => {
    const shown = values.filter((v) => v.toLowerCase().includes(filter)).slice(0, 200);
    list.replaceChildren(...shown.map((v) => el('span', { class: 'v' }, v)),
      ...(values.length < total ? [el('span', { class: 'note' }, `(${number.format(values.length)} of ${number.format(total)} kept)`)] : []));
  };
  fill('');
  if (values.length <= 12) return list;
  const input = el('input', { type: 'search', class: 'values-filter', 'aria-label': 'Filter the values of ' + key, placeholder: `Filter ${number.format(values.length)} values` });
  input.addEventListener('input', () => fill(input.value.toLowerCase()));
  return el('div', {}, input, list);
}

async function preview(doc, queryBox, chart, seq) {
  let answer;
  try {
    answer = await api(`${API}/${encodeURIComponent(doc.tenant_id)}/${encodeURIComponent(doc.name)}/preview?range=1h`);
  } catch (err) {
    if (seq !== app.searchSeq) return;
    queryBox.replaceChildren(el('span', {}, 'No preview: ' + (plain(err) || '')));
    return;
  }
  if (seq !== app.searchSeq) return;
  const copyQuery = el('button', { type: 'button', class: 'small', 'aria-label': 'Copy the query' }, 'Copy');
  copyQuery.addEventListener('click', () => copy(answer.query, copyQuery));
  queryBox.replaceChildren(el('code', { id: 'query-text' }, answer.query), copyQuery, ...openIn(answer.query));
  try {
    await drawChart(chart, answer);
  } catch (err) {
    chart.replaceChildren(el('p', { class: 'note' }, 'No chart: ' + err.message + '.'));
  }
}

function openIn(query) {
  const links = [];
  const v = app.view;
  if (v.grafana_url) {
    const left = JSON.stringify({ queries: [{ refId: 'A', expr: query }], range: { from: 'now-1h', to: 'now' } });
    links.push(el('a', { href: `${v.grafana_url}/explore?left=${encodeURIComponent(left)}`, target: '_blank', rel: 'noopener noreferrer' }, 'Open in Grafana'));
  }
  if (v.vmui_url) {
    links.push(el('a', { href: `${v.vmui_url}/#/?g0.expr=${encodeURIComponent(query)}&g0.range_input=1h`, target: '_blank', rel: 'noopener noreferrer' }, 'Open in vmui'));
  }
  return links;
}

function loadChartLibrary() {
  if (window.uPlot) return Promise.resolve();
  if (!app.chartLibrary) {
    app.chartLibrary = new Promise((resolve, reject) => {
      document.head.append(el('link', { rel: 'stylesheet', href: '/ui/uplot.css' }));
      const script = el('script', { src: '/ui/uplot.js' });
      script.onload = resolve;
      script.onerror = () => {
        app.chartLibrary = null; // tried again on the next metric's page
        script.remove();
        reject(new Error('the chart library did not load'));
      };
      document.head.append(script);
    });
  }
  return app.chartLibrary;
}

async function drawChart(chart, answer) {
  const series = answer.series || [];
  const points = series.reduce((n, s) => n + s.points.length, 0);
  if (!points) {
    chart.replaceChildren(el('p', { class: 'note' }, 'The source has no data for this query in the last hour.'));
    return;
  }
  await loadChartLibrary();
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const at = new Map(times.map((t, i) => [t, i]));
  const data = [times, ...series.map((s) => {
    const ys = new Array(times.length).fill(null);
    s.points.forEach(([t, v]) => { ys[at.get(t)] = v; });
    return ys;
  })];
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  const palette = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#06b6d4', '#84cc16', '#ec4899', '#64748b', '#f97316'];
  const axis = { stroke: dark ? '#a3acb6' : '#57606a', grid: { stroke: dark ? '#30363d' : '#e5e7eb' } };
  chart.replaceChildren();
  const width = Math.max(280, chart.clientWidth || 600);
  // eslint-disable-next-line no-undef
  new uPlot({
    width, height: 260,
    series: [{}, ...series.map((s, i) => ({ label: seriesLabel(s.labels), stroke: palette[i % palette.length], width: 1.5, spanGaps: false }))],
    axes: [axis, axis],
    legend: { live: true },
  }, data, chart);
  chart.dataset.points = String(points);
  chart.append(el('p', { class: 'note' }, `${series.length} of ${answer.total_series} series, one point every ${answer.step}`
    + (answer.truncated ? ' (the first 10 are shown)' : '')));
}

function seriesLabel(labels) {
  const parts = Object.entries(labels || {}).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}="${v}"`);
  return parts.length ? '{' + parts.join(', ') + '}' : 'value';
}

// ---- tenants and their syncs ----

// one chain of status polls: a call that an overlapping later one has overtaken neither paints nor sets a timer
let statusSeq = 0;
async function showStatus() {
  const seq = ++statusSeq;
  clearTimeout(app.statusTimer);
  const tenants = app.view.tenants.slice(0, 12);
  const canSync = app.view.role === 'sync' || app.view.role === 'admin';
  const items = await Promise.all(tenants.map(async (t) => {
    try {
      return await api(`${API}/sync/${encodeURIComponent(t)}/status`);
    } catch (err) {
      return { tenant_id: t, status: 'unknown', errors: [plain(err)] };
    }
  }));
  if (seq !== statusSeq) return;
  const running = items.some((x) => x.status === 'running');
  $('status').replaceChildren(...items.map((x) => el('span', { 'data-tenant': x.tenant_id },
    el('strong', {}, x.tenant_id), ' · ',
    x.status === 'running' ? `syncing (${x.strategy || ''}), ${number.format(x.metrics_processed || 0)} metrics so far`
      : x.status === 'idle' ? 'not synced yet'
        : el('span', { class: x.status === 'completed' ? 'succeeded' : 'failed', title: (x.errors || []).join('; ') },
          `last sync ${x.status}`, x.end_time ? [' ', when(x.end_time)] : '', x.status === 'completed' ? `, ${number.format(x.metrics_processed || 0)} metrics` : ''),
    canSync ? [' ', el('button', { type: 'button', class: 'small', disabled: x.status === 'running', onclick: (e) => syncNow(x.tenant_id, e.target) }, 'Sync now')] : null)));
  app.statusTimer = setTimeout(showStatus, running ? 2000 : 30000);
}

async function syncNow(tenant, button) {
  button.disabled = true;
  button.textContent = 'Syncing…';
  const done = api(`${API}/sync/${encodeURIComponent(tenant)}`, { method: 'POST' });
  setTimeout(showStatus, 300);
  try {
    await done;
    say('');
  } catch (err) {
    say(plain(err));
  }
  showStatus();
  if (!app.state.metric) search();
}

// ---- start ----

function render() {
  const s = app.state;
  $('key-form').hidden = true;
  if ($('q').value !== s.q && document.activeElement !== $('q')) $('q').value = s.q;
  $('sort').value = s.sort;
  $('tenant').value = s.tenant;
  $('search-view').hidden = Boolean(s.metric);
  $('metric-view').hidden = !s.metric;
  if (s.metric) {
    showMetric(s);
  } else {
    document.title = (s.q ? s.q + ' · ' : '') + 'Mirador metrics catalog';
    search();
  }
}

async function start() {
  say('');
  try {
    app.view = await api(API + '/explorer');
  } catch (err) {
    if (err.status !== 401) say(plain(err));
    return;
  }
  $('change-key').hidden = !sessionStorage.getItem(KEY_STORE);
  $('tenant').replaceChildren(...app.view.tenants.map((t) => el('option', { value: t }, t)));
  $('tenant').closest('label').hidden = app.view.tenants.length < 2;
  app.state = readUrl();
  if (!app.state.tenant) app.state.tenant = app.view.default_tenant;
  $('q').value = app.state.q;
  render();
  showStatus();
  if (!app.state.metric) $('q').focus();
}

start();
