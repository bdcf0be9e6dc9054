/// The dashboard's page, script and style: hand-written, served by the binary (no CDN, no network, no
/// vendored library: the page needs tables, SVG lines and a fetch loop, about 300 lines of JavaScript).
enum DashboardAssets {
    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Ablate</title>
        <link rel="stylesheet" href="app.css">
        </head>
        <body>
        <header><b>Ablate</b>
        <nav>
        <a href="#sweeps" data-view="sweeps">Sweeps</a>
        <a href="#runs" data-view="runs">Runs</a>
        <a href="#curves" data-view="curves">Curves</a>
        <a href="#parallel" data-view="parallel">Parallel</a>
        <a href="#reports" data-view="reports">Reports</a>
        </nav>
        <span id="live"></span></header>
        <main id="view"></main>
        <script src="app.js"></script>
        </body>
        </html>

        """

    static let style = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 0; color: #222; }
        header { background: #223; color: #fff; padding: 0.6em 1em; display: flex; gap: 1.5em; align-items: center; }
        header a { color: #cde; text-decoration: none; margin-right: 1em; }
        header a.active { color: #fff; font-weight: bold; }
        #live { margin-left: auto; font-size: 0.85em; color: #9ab; }
        main { padding: 1em 1.5em; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
        th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: left; }
        th { cursor: pointer; background: #f4f4f6; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        th.varying, td.varying { background: #fff6dd; }
        .state-succeeded { color: #17803d; } .state-failed, .state-blocked { color: #b3261e; }
        .state-running, .state-queued { color: #0b62a4; }
        pre { background: #f6f6f6; padding: 0.6em; max-height: 20em; overflow: auto; font-size: 0.8em; }
        input[type=text] { width: 32em; }
        .error { color: #b3261e; }
        svg text { font-size: 11px; }
        """

    static let script = #"""
        "use strict";
        const token = new URLSearchParams(location.search).get("token");
        const view = document.getElementById("view");
        let counter = null, current = null, state = { sort: "", desc: false, offset: 0, selected: new Set() };

        function api(path, params) {
          const query = new URLSearchParams(params || {});
          if (token) query.set("token", token);
          return fetch(path + "?" + query).then(r => r.json().then(body => {
            if (!r.ok) throw new Error(body.error || r.statusText);
            return body;
          }));
        }
        function el(tag, attrs, ...children) {
          const node = document.createElement(tag);
          for (const [k, v] of Object.entries(attrs || {})) {
            if (k === "onclick") node.onclick = v; else node.setAttribute(k, v);
          }
          for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
          return node;
        }
        function svg(tag, attrs) {
          const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
          for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
          return node;
        }
        function fmt(v) { return typeof v === "number" ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3)) : (v ?? ""); }
        function fail(error) { view.append(el("p", { class: "error" }, "error: " + error.message)); }

        async function sweeps() {
          const list = await api("api/sweeps");
          view.replaceChildren(el("h2", {}, "Sweeps"));
          for (const sweep of list) {
            const box = el("section", { class: "sweep", "data-sweep": sweep.name }, el("h3", {}, sweep.name));
            const table = el("table", {}, el("tr", {}, el("th", {}, "stage"), el("th", {}, "jobs by state")));
            for (const stage of sweep.stages) {
              const states = Object.entries(stage.states).map(([s, n]) => `${s} ${n}`).join(", ");
              table.append(el("tr", { "data-stage": stage.stage }, el("td", {}, stage.stage), el("td", { class: "counts" }, states)));
            }
            box.append(table);
            for (const job of sweep.failed) {
              box.append(el("p", { class: "error" }, `${job.state} ${job.stage} ${job.key.slice(0, 12)}: ${job.reason}`));
              if (job.log_tail) box.append(el("pre", {}, job.log_tail));
            }
            if (sweep.missing.length) box.append(el("p", {}, `${sweep.missing.length} run(s) lack declared metrics: ` +
              sweep.missing.slice(0, 5).map(m => `${m.point} (${m.metrics.join(", ")})`).join("; ")));
            view.append(box);
          }
        }

        async function runs() {
          const form = el("form", {}, "where ", el("input", { type: "text", id: "where", value: state.where || "" }), " columns ",
            el("input", { type: "text", id: "columns", value: state.columns || "", placeholder: "metrics, comma-separated" }), " ",
            el("button", { type: "submit" }, "filter"), " ", el("button", { type: "button", id: "compare" }, "curves of selected"));
          form.onsubmit = e => {
            e.preventDefault(); state.where = document.getElementById("where").value;
            state.columns = document.getElementById("columns").value; state.offset = 0; render();
          };
          view.replaceChildren(el("h2", {}, "Runs"), form);
          form.querySelector("#compare").onclick = () => { location.hash = "curves"; };
          let page;
          try {
            page = await api("api/runs", { where: state.where || "", sort: state.sort, desc: state.desc ? "1" : "0", offset: state.offset, limit: 50, ...(state.columns ? { columns: state.columns } : {}) });
          } catch (error) { return fail(error); }
          const chosen = (state.columns || "").split(",").map(c => c.trim()).filter(c => c);
          const metrics = chosen.length ? chosen : page.metrics.slice(0, 12);
          const head = el("tr", {}, el("th", {}, ""), el("th", { "data-sort": "id" }, "run"), el("th", { "data-sort": "status" }, "status"));
          for (const p of page.params) head.append(el("th", { "data-sort": p, class: page.varying.includes(p) ? "varying" : "" }, p));
          for (const m of metrics) head.append(el("th", { "data-sort": m }, m));
          for (const th of head.querySelectorAll("th[data-sort]")) th.onclick = () => {
            const key = th.getAttribute("data-sort");
            state.desc = state.sort === key ? !state.desc : false; state.sort = key; render();
          };
          const table = el("table", { id: "runs" }, head);
          for (const row of page.rows) {
            const box = el("input", { type: "checkbox" });
            box.checked = state.selected.has(row.id);
            box.onchange = () => box.checked ? state.selected.add(row.id) : state.selected.delete(row.id);
            const tr = el("tr", { class: "run" }, el("td", {}, box),
              el("td", {}, el("a", { href: "#run/" + row.id }, row.id.slice(0, 12))),
              el("td", { class: "state-" + row.status }, row.status));
            for (const p of page.params) tr.append(el("td", { class: page.varying.includes(p) ? "varying" : "" }, row.labels[p] || row.params[p] || ""));
            for (const m of metrics) tr.append(el("td", { class: "num" }, fmt(row.metrics[m])));
            table.append(tr);
          }
          const pager = el("p", {}, `${page.total} run(s); showing ${page.offset + 1}–${page.offset + page.rows.length} `);
          if (page.offset > 0) pager.append(el("button", { onclick: () => { state.offset -= 50; render(); } }, "previous"));
          if (page.offset + 50 < page.total) pager.append(el("button", { onclick: () => { state.offset += 50; render(); } }, "next"));
          view.append(table, pager);
        }

        async function run(id) {
          let r;
          try { r = await api("api/runs/" + id); } catch (error) { return fail(error); }
          view.replaceChildren(el("h2", {}, "Run " + r.id.slice(0, 12) + " (" + r.sweep + ", " + r.status + ")"));
          const params = el("table", { id: "params" });
          for (const [k, v] of Object.entries(r.params)) params.append(el("tr", {}, el("th", {}, k), el("td", {}, r.labels[k] || v)));
          view.append(params);
          for (const job of r.jobs) {
            view.append(el("h3", {}, `${job.stage} ${job.key.slice(0, 12)}: ${job.state}`));
            const attempts = el("table", {}, el("tr", {}, el("th", {}, "attempt"), el("th", {}, "backend"), el("th", {}, "state"), el("th", {}, "reason")));
            for (const a of job.attempts) attempts.append(el("tr", {}, el("td", {}, a.number), el("td", {}, a.backend), el("td", { class: "state-" + a.state }, a.state), el("td", {}, a.reason)));
            view.append(attempts, el("p", {}, job.metrics.map(m => `${m.key} ${fmt(m.value)}`).join(", ")));
            const log = el("pre", { class: "log", "data-job": job.key }, "");
            view.append(log);
            const follow = () => fetch("api/jobs/" + job.key + "/log?tail=40" + (token ? "&token=" + token : "")).then(x => x.text()).then(t => { log.textContent = t; log.scrollTop = log.scrollHeight; });
            follow();
            // A running job's log is followed: fetched again every two seconds while this run is shown.
            if (job.state === "running" || job.state === "queued") {
              const timer = setInterval(() => { if (current !== "run/" + id) clearInterval(timer); else follow(); }, 2000);
            }
          }
          for (const rev of r.revisions) view.append(el("h3", {}, `${rev.role}: ${rev.commit.slice(0, 12)} ${rev.branch}${rev.dirty ? " (dirty)" : ""}`), el("pre", {}, rev.diff || "(no uncommitted changes)"));
        }

        async function curves() {
          const key = state.curveKey || "loss";
          const group = state.curveGroup || "";
          const x = state.curveX || "step";
          const picker = el("select", { id: "x" }, el("option", { value: "step" }, "by step"), el("option", { value: "tokens" }, "by tokens"));
          picker.value = x;
          const form = el("form", {}, "metric ", el("input", { type: "text", id: "key", value: key }), " ", picker,
            " band over runs grouped by ", el("input", { type: "text", id: "group", value: group, placeholder: "a parameter, e.g. long_data" }),
            " ", el("button", { type: "submit" }, "draw"));
          form.onsubmit = e => { e.preventDefault(); state.curveKey = document.getElementById("key").value; state.curveGroup = document.getElementById("group").value; state.curveX = document.getElementById("x").value; render(); };
          view.replaceChildren(el("h2", {}, "Curves"), form);
          let ids = [...state.selected];
          if (!ids.length) ids = (await api("api/runs", { limit: 5 })).rows.map(r => r.id);
          const data = await api("api/curves", { runs: ids.join(","), key, buckets: 600, group, x });
          const W = 720, H = 320, L = 50, B = 30;
          const all = data.series.flatMap(s => s.buckets);
          if (!all.length) return view.append(el("p", {}, "no points of '" + key + "' for these runs"));
          const x0 = Math.min(...all.map(b => b[0])), x1 = Math.max(...all.map(b => b[0]));
          const y0 = Math.min(...all.map(b => b[1])), y1 = Math.max(...all.map(b => b[2]));
          const px = x => L + (x - x0) / ((x1 - x0) || 1) * (W - L - 10), py = y => 10 + (y1 - y) / ((y1 - y0) || 1) * (H - B - 10);
          const chart = svg("svg", { width: W, height: H, id: "curve" });
          chart.append(svg("path", { d: `M${L},10V${H - B}H${W - 10}`, stroke: "#222", fill: "none" }));
          const colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
          if (data.groups) {
            data.groups.forEach((g, i) => {
              const c = colors[i % colors.length];
              const band = g.buckets.map(b => `${px(b[0])},${py(b[1] + b[2])}`).concat(g.buckets.slice().reverse().map(b => `${px(b[0])},${py(b[1] - b[2])}`));
              chart.append(svg("polygon", { class: "band", points: band.join(" "), fill: c, "fill-opacity": 0.25 }));
              chart.append(svg("polyline", { class: "series", points: g.buckets.map(b => `${px(b[0])},${py(b[1])}`).join(" "), fill: "none", stroke: c, "stroke-width": 2 }));
              const label = svg("text", { x: W - 200, y: 20 + 14 * i, fill: c }); label.textContent = `${g.label} (mean ± std of ${g.runs.length})`; chart.append(label);
            });
            return view.append(chart);
          }
          data.series.forEach((s, i) => {
            const c = colors[i % colors.length];
            const band = s.buckets.map(b => `${px(b[0])},${py(b[2])}`).concat(s.buckets.slice().reverse().map(b => `${px(b[0])},${py(b[1])}`));
            chart.append(svg("polygon", { points: band.join(" "), fill: c, "fill-opacity": 0.2 }));
            chart.append(svg("polyline", { class: "series", points: s.buckets.map(b => `${px(b[0])},${py((b[1] + b[2]) / 2)}`).join(" "), fill: "none", stroke: c }));
            const label = svg("text", { x: W - 200, y: 20 + 14 * i, fill: c }); label.textContent = s.run.slice(0, 12) + ` (${s.points} points)`; chart.append(label);
          });
          for (const [v, x, y, a] of [[y0, L - 4, py(y0), "end"], [y1, L - 4, py(y1) + 8, "end"], [x0, L, H - B + 14, "start"], [x1, W - 10, H - B + 14, "end"]]) {
            const t = svg("text", { x, y, "text-anchor": a }); t.textContent = fmt(v); chart.append(t);
          }
          view.append(chart);
        }

        async function parallel() {
          const names = (await api("api/sweeps")).map(s => s.name);
          const sweep = state.sweep || names[0];
          const metric = state.metric || "";
          const form = el("form", {}, "sweep ", el("input", { type: "text", id: "psweep", value: sweep || "" }), " metric ",
            el("input", { type: "text", id: "pmetric", value: metric }), " ", el("button", { type: "submit" }, "draw"));
          form.onsubmit = e => { e.preventDefault(); state.sweep = document.getElementById("psweep").value; state.metric = document.getElementById("pmetric").value; render(); };
          view.replaceChildren(el("h2", {}, "Parallel coordinates"), form);
          if (!sweep) return;
          let data;
          try { data = await api("api/parallel", { sweep, metric }); } catch (error) { return fail(error); }
          const axes = data.axes.concat(metric ? [metric] : []);
          const W = 160 * Math.max(axes.length, 2), H = 300;
          const chart = svg("svg", { width: W, height: H + 40, id: "parallel" });
          const values = axes.map(a => [...new Set(data.rows.map(r => a === metric ? r.value : r.params[a]))].filter(v => v !== null && v !== undefined).sort((p, q) => (+p - +q) || String(p).localeCompare(String(q))));
          const y = (i, v) => { const vs = values[i]; const k = vs.indexOf(v); return 20 + (vs.length > 1 ? k / (vs.length - 1) : 0.5) * H; };
          const vals = data.rows.map(r => r.value).filter(v => typeof v === "number");
          const lo = Math.min(...vals), hi = Math.max(...vals);
          axes.forEach((a, i) => {
            const x = 60 + i * 150;
            chart.append(svg("line", { x1: x, y1: 20, x2: x, y2: H + 20, stroke: "#444" }));
            const t = svg("text", { x, y: 12, "text-anchor": "middle" }); t.textContent = a; chart.append(t);
          });
          for (const r of data.rows) {
            const color = typeof r.value === "number" && hi > lo ? `hsl(${220 - 220 * (r.value - lo) / (hi - lo)},70%,45%)` : "#888";
            const points = axes.map((a, i) => `${60 + i * 150},${y(i, a === metric ? r.value : r.params[a])}`);
            chart.append(svg("polyline", { class: "line", points: points.join(" "), fill: "none", stroke: color, "stroke-opacity": 0.7 }));
          }
          view.append(chart);
        }

        async function reports() {
          const list = await api("api/reports");
          view.replaceChildren(el("h2", {}, "Reports"));
          for (const name of list.reports) {
            const links = ["markdown", "latex", "csv", "json", "html"].map(f => el("a", { href: `reports/${name}?format=${f}` + (token ? "&token=" + token : "") }, f));
            const p = el("p", {}, el("b", {}, name), " ");
            links.forEach(a => p.append(a, " "));
            view.append(p, el("iframe", { src: `reports/${name}?format=html` + (token ? "&token=" + token : ""), width: "100%", height: "500" }));
          }
          if (!list.reports.length) view.append(el("p", {}, "no report specs (give --reports DIR or --report FILE)"));
        }

        async function render() {
          const hash = location.hash.slice(1) || "sweeps";
          current = hash;
          for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", hash.startsWith(a.dataset.view));
          try {
            if (hash.startsWith("run/")) await run(hash.slice(4));
            else await ({ sweeps, runs, curves, parallel, reports }[hash] || sweeps)();
          } catch (error) { fail(error); }
          document.body.setAttribute("data-rendered", hash);
        }
        async function poll() {
          try {
            const c = (await api("api/changes")).counter;
            if (counter !== null && c !== counter && (current === "sweeps" || current === "runs")) render();
            counter = c;
            document.getElementById("live").textContent = "live · " + new Date().toLocaleTimeString();
          } catch (error) { document.getElementById("live").textContent = "offline"; }
        }
        window.onhashchange = render;
        render();
        setInterval(poll, 1000);
        poll();
        """#
}
