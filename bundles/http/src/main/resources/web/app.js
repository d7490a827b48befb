// The page reads only the read-only JSON API of the same origin (api/v1/...); no asset comes from elsewhere.
"use strict";

const API = "api/v1/";
const LIVE_SECONDS = 300;
const plots = new Map();      // "device\u0000channel" -> {u, data, unit, from, to}
const valueCells = new Map(); // "device\u0000channel" -> element showing the newest value
let rangeSeconds = LIVE_SECONDS;
let liveSamples = 0;          // samples the live stream added to the plots since the page loaded
const EVENTS_SHOWN = 200;     // a start of the demo alone records dozens

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

async function get(path) {
  const r = await fetch(API + path, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (r.status === 401) {
    askForToken();
    throw new Error("this logger asks for its token (token = in conf/org.usblogd.http.cfg)");
  }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

/** A non-loopback logger has a token: one login sets a cookie for this browser. */
function askForToken() {
  if (document.getElementById("login")) return;
  const input = el("input", { type: "password", name: "token", autocomplete: "current-password", required: "" });
  input.addEventListener("input", () => input.setCustomValidity(""));
  const form = el("form", { id: "login", class: "note" },
    el("label", {}, "Token (conf/org.usblogd.http.cfg) ", input), " ", el("button", { type: "submit", text: "Log in" }));
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    const r = await fetch(API + "login", { method: "POST", credentials: "same-origin",
      body: new URLSearchParams({ token: input.value }) });
    if (r.ok) location.reload(); else input.setCustomValidity("wrong token"), input.reportValidity();
  });
  document.querySelector("main").prepend(form);
}

function key(device, channel) { return device + "\u0000" + channel; }

function age(seconds) {
  if (seconds == null) return "";
  if (seconds < 1) return "now";
  if (seconds < 120) return Math.round(seconds) + " s ago";
  if (seconds < 7200) return Math.round(seconds / 60) + " min ago";
  if (seconds < 172800) return Math.round(seconds / 3600) + " h ago";
  return Math.round(seconds / 86400) + " d ago";
}

function number(v) {
  if (v == null || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? v.toExponential(3) : String(Math.round(v * 1000) / 1000);
}

async function showStatus() {
  const s = await get("status");
  const d = s.daemon || {};
  const store = s.store || {};
  document.getElementById("status").textContent = (d.running === false ? "not running" : "running")
    + (d.version ? ", version " + d.version : "")
    + (d.uptimeSeconds != null ? ", up " + age(d.uptimeSeconds).replace(" ago", "") : "")
    + " · store " + (store.state || "?")
    + (store.samplesLastMinute != null ? ", " + store.samplesLastMinute + " samples in the last minute" : "");
}

/** One entry per channel name: a channel recorded in two units shows its newest unit. */
function channelsOf(d) {
  const byName = new Map();
  for (const c of d.channels || []) {
    const had = byName.get(c.name);
    if (!had || (c.lastTime || "") > (had.lastTime || "")) byName.set(c.name, c);
  }
  return [...byName.values()];
}

function deviceCard(d) {
  const id = d.device;
  const card = el("article", { class: "device", "data-device": id });
  card.append(el("h3", { text: id }),
    el("div", { class: "meta" },
      el("span", { class: "state " + String(d.state || "").split(" ")[0], text: d.state || "?" }),
      " " + [d.product, d.driver].filter(Boolean).join(" · ")));
  const values = el("div", { class: "values" });
  for (const c of channelsOf(d)) {
    const v = el("b", { text: number(c.lastValue) });
    valueCells.set(key(id, c.name), v);
    values.append(el("span", { class: "value", "data-channel": c.name }, c.name + " ", v, " " + (c.unit || "")));
  }
  card.append(values);
  const grid = el("div", { class: "plots" });
  for (const c of channelsOf(d)) {
    const holder = el("div", { class: "plot", "data-channel": c.name, "data-unit": c.unit || "" },
      el("div", { class: "title", text: c.name + (c.unit ? " [" + c.unit + "]" : "") }));
    grid.append(holder);
  }
  card.append(grid);
  return card;
}

/** Plots are made once their holders are laid out, so that they take the width they are given. */
const resized = new ResizeObserver(entries => {
  for (const e of entries) {
    const plot = e.target.plot;
    if (plot) plot.u.setSize({ width: Math.max(200, Math.floor(e.contentRect.width)), height: 140 });
  }
});

function makePlot(holder, device, channel, unit) {
  const width = Math.max(200, holder.clientWidth);
  const data = [[], [], [], []]; // time (s), mean (or value), min, max
  const opts = {
    width, height: 140,
    scales: { x: { time: true } },
    cursor: { drag: { x: true, y: false } },
    legend: { show: false },
    series: [{}, { label: channel, stroke: "#0969da", width: 1.5 },
      { label: "min", stroke: "#8cb4e6", width: 1 }, { label: "max", stroke: "#8cb4e6", width: 1 }],
    axes: [{}, { size: 56, values: (u, ticks) => ticks.map(number) }],
    hooks: { setSelect: [u => zoomed(u, device, channel)] },
  };
  const u = new uPlot(opts, data, holder);
  const plot = { u, data, unit, zoom: null };
  plots.set(key(device, channel), plot);
  holder.plot = plot;
  resized.observe(holder);
  holder.addEventListener("dblclick", () => { plot.zoom = null; load(device, channel, plot); });
  load(device, channel, plot);
}

function zoomed(u, device, channel) {
  if (u.select.width < 5) return;
  const from = u.posToVal(u.select.left, "x");
  const to = u.posToVal(u.select.left + u.select.width, "x");
  u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
  const plot = plots.get(key(device, channel));
  plot.zoom = [from, to];
  load(device, channel, plot);
}

async function load(device, channel, plot) {
  const now = Date.now() / 1000;
  const [from, to] = plot.zoom || [now - rangeSeconds, now + 1];
  const points = Math.max(100, Math.min(2000, plot.u.width));
  const q = "samples?device=" + encodeURIComponent(device) + "&channel=" + encodeURIComponent(channel)
    + "&from=" + new Date(from * 1000).toISOString() + "&to=" + new Date(to * 1000).toISOString()
    + "&maxPoints=" + points;
  try {
    const r = await get(q);
    const series = (r.series || []).find(x => (x.unit || "") === plot.unit) || (r.series || [])[0]
      || { timeMicros: [] };
    const t = series.timeMicros.map(us => us / 1e6);
    const mean = series.value || series.mean || [];
    const min = series.min || t.map(() => null);
    const max = series.max || t.map(() => null);
    plot.data = [t, mean, min, max];
    plot.u.setData(plot.data, false);
    plot.u.setScale("x", { min: from, max: to });
  } catch (e) {
    plot.u.root.title = e.message;
  }
}

function sampleArrived(s) {
  const k = key(s.device, s.channel);
  const cell = valueCells.get(k);
  if (!cell) { refreshSoon(); return; }
  if (cell) cell.textContent = number(s.value);
  const plot = plots.get(k);
  if (!plot || plot.unit !== (s.unit || "") || plot.zoom || rangeSeconds !== LIVE_SECONDS) return;
  const t = Date.parse(s.time) / 1000;
  const d = plot.data;
  d[0].push(t); d[1].push(s.value); d[2].push(null); d[3].push(null);
  liveSamples++;
  const from = t - LIVE_SECONDS;
  while (d[0].length && d[0][0] < from) { d[0].shift(); d[1].shift(); d[2].shift(); d[3].shift(); }
  plot.pending = true;
}

// Redraw live plots at most a few times a second, however fast samples come.
setInterval(() => {
  const now = Date.now() / 1000;
  for (const plot of plots.values()) {
    if (plot.pending) {
      plot.pending = false;
      plot.u.setData(plot.data, false);
      plot.u.setScale("x", { min: now - LIVE_SECONDS, max: now + 1 });
    }
  }
}, 250);

function eventItem(e) {
  return el("li", {}, el("time", { text: String(e.time || "").replace("T", " ").replace(/\.\d+Z$/, "Z") }),
    el("b", { text: e.kind }), " " + (e.device ? e.device + ": " : "") + (e.message || ""));
}

async function showEvents() {
  const r = await get("events?since=-1d&limit=" + EVENTS_SHOWN + "&order=newest");
  document.getElementById("events").replaceChildren(...r.events.map(eventItem));
}

let shownShape = "";

/** Rebuilds the cards when devices or channels came or went; otherwise only their states change. */
async function showDevices() {
  const devices = await get("devices");
  document.getElementById("empty").hidden = devices.length > 0;
  const shape = devices.map(d => d.device + ":" + channelsOf(d).map(c => c.name + "/" + c.unit).join(",")).join(";");
  if (shape !== shownShape) {
    shownShape = shape;
    const list = document.getElementById("devices");
    for (const p of list.querySelectorAll(".plot")) resized.unobserve(p);
    // uPlot keeps every plot it made until it is destroyed
    for (const plot of plots.values()) plot.u.destroy();
    plots.clear();
    valueCells.clear();
    list.replaceChildren(...devices.map(deviceCard));
    for (const card of list.querySelectorAll("article.device")) {
      for (const p of card.querySelectorAll(".plot")) makePlot(p, card.dataset.device, p.dataset.channel, p.dataset.unit);
    }
    return;
  }
  for (const d of devices) {
    const badge = document.querySelector('[data-device="' + CSS.escape(d.device) + '"] .state');
    if (badge) { badge.textContent = d.state; badge.className = "state " + String(d.state).split(" ")[0]; }
  }
}

let refreshing = null;
function refreshSoon() {
  if (!refreshing) refreshing = setTimeout(() => { refreshing = null; showDevices().catch(() => {}); }, 2000);
}

// The stream's browser retries by itself after a dropped connection, but not after an answer other than 200
// (401: the login expired; 429: too many streams; 503: the daemon restarting): then this page tries again,
// waiting longer each time. The stream does not replay what was missed, so on every reopening after the
// first the plots and events are read again.
let streamRetryMs = 2000;
let streamOpenedBefore = false;

function follow() {
  const source = new EventSource(API + "stream");
  source.addEventListener("samples", m => JSON.parse(m.data).forEach(sampleArrived));
  source.addEventListener("event", m => {
    const list = document.getElementById("events");
    list.prepend(eventItem(JSON.parse(m.data)));
    while (list.children.length > EVENTS_SHOWN) list.lastChild.remove();
  });
  source.onerror = () => {
    document.getElementById("status").textContent = "live updates interrupted; reconnecting…";
    if (source.readyState === EventSource.CLOSED) {
      source.close();
      showStatus().catch(() => {}); // a 401 asks for the token
      setTimeout(follow, streamRetryMs);
      streamRetryMs = Math.min(60000, streamRetryMs * 2);
    }
  };
  source.onopen = () => {
    streamRetryMs = 2000;
    showStatus().catch(() => {});
    if (streamOpenedBefore) {
      for (const [k, plot] of plots) {
        const [device, channel] = k.split("\u0000");
        load(device, channel, plot);
      }
      showEvents().catch(() => {});
    }
    streamOpenedBefore = true;
  };
}

document.getElementById("range").addEventListener("change", e => {
  rangeSeconds = Number(e.target.value);
  for (const [k, plot] of plots) {
    plot.zoom = null;
    const [device, channel] = k.split("\u0000");
    load(device, channel, plot);
  }
});

// A page opened while the daemon starts (its store not open yet) or restarts tries again until it answers.
async function start(retryMs) {
  try {
    await showStatus();
    await showDevices();
    await showEvents();
  } catch (e) {
    document.getElementById("status").textContent = e.message + "; trying again…";
    setTimeout(() => start(Math.min(30000, retryMs * 2)), retryMs);
    return;
  }
  follow();
  setInterval(() => { showStatus().catch(() => {}); showDevices().catch(() => {}); }, 10000);
}

start(1000);
