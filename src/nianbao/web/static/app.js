// nianbao web: the drop zone, uploads with progress, and polling of a background job.
// Vanilla JavaScript, no build step, no CDN; every page works without it except the drop zone.
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf");

  function $(id) { return document.getElementById(id); }

  function line(text, level) {
    var li = document.createElement("li");
    li.className = level || "info";
    li.textContent = text;  // text, never HTML: file names and messages are untrusted
    $("lines").appendChild(li);
  }

  function show(job) {
    $("job").hidden = false;
    $("bar").max = Math.max(job.total, 1);
    $("bar").value = job.done;
    $("count").textContent = job.total ? job.done + " / " + job.total : String(job.done);
    var running = $("job").getAttribute("data-running") || "正在处理";
    $("phase").textContent = job.state === "running" ? running : (job.state === "done" ? "已完成" : "处理中断");
    $("summary").textContent = job.summary || "";
    var list = $("lines");
    var shown = list.querySelectorAll("li.job").length;
    for (var i = shown; i < job.lines.length; i++) {
      var li = document.createElement("li");
      li.className = "job " + job.lines[i].level;
      li.textContent = job.lines[i].text;
      list.appendChild(li);
    }
    $("done-links").hidden = job.state === "running";
  }

  function poll(id) {
    fetch("/jobs/" + encodeURIComponent(id), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.ok) { line(data.message, "error"); return; }
        show(data.job);
        if (data.job.state === "running") { setTimeout(function () { poll(id); }, 500); }
      })
      .catch(function () { setTimeout(function () { poll(id); }, 2000); });
  }

  function uploadOne(file) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/upload");
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.onload = function () {
        var data;
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = { ok: false, message: xhr.responseText }; }
        resolve(data);
      };
      xhr.onerror = function () { resolve({ ok: false, message: file.name + "：上传失败（连接中断）。" }); };
      xhr.send(file);
    });
  }

  function receive(files) {
    if (!files.length) { return; }
    $("job").hidden = false;
    $("lines").textContent = "";
    $("summary").textContent = "";
    $("done-links").hidden = true;
    $("phase").textContent = "正在上传";
    $("bar").max = files.length;
    $("bar").value = 0;
    var tokens = [];
    var i = 0;
    function next() {
      if (i >= files.length) { return start(); }
      var f = files[i];
      $("count").textContent = "上传 " + (i + 1) + " / " + files.length;
      uploadOne(f).then(function (data) {
        if (data.ok) {
          tokens.push(data.token);
          (data.messages || []).forEach(function (m) { line(m, "info"); });
        } else {
          line(data.message, "error");
        }
        i += 1;
        $("bar").value = i;
        next();
      });
    }
    function start() {
      if (!tokens.length) { $("phase").textContent = "没有可以接收的文件"; return; }
      fetch("/ingest", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
        body: JSON.stringify({ files: tokens })
      }).then(function (r) { return r.json(); }).then(function (data) {
        if (!data.ok) { line(data.message, "error"); $("phase").textContent = "未能开始"; return; }
        $("job").setAttribute("data-job", data.job.id);
        show(data.job);
        poll(data.job.id);
      });
    }
    next();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var drop = $("drop");
    if (drop) {
      var input = $("files");
      input.addEventListener("change", function () { receive(Array.prototype.slice.call(input.files)); input.value = ""; });
      ["dragenter", "dragover"].forEach(function (ev) {
        drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (ev) {
        drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); });
      });
      drop.addEventListener("drop", function (e) { receive(Array.prototype.slice.call(e.dataTransfer.files)); });
    }
    var box = $("job");
    if (box && box.getAttribute("data-job")) { poll(box.getAttribute("data-job")); }  // a reload finds the job again
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
