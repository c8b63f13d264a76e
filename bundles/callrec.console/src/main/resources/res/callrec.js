/* callrec console pages. Every value from the server is placed with textContent or as a
   property, never as markup: a caller ID such as <script> shows as text. */
(function () {
  'use strict';
  var root = document.getElementById('callrec');
  if (!root) { return; }
  var api = root.getAttribute('data-api');
  var self = root.getAttribute('data-self');
  var csrf = root.getAttribute('data-csrf');
  var status = document.getElementById('callrec-status');

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function row(cells) {
    var tr = el('tr');
    cells.forEach(function (c) {
      if (c instanceof Node) { var td = el('td'); td.appendChild(c); tr.appendChild(td); }
      else { tr.appendChild(el('td', c)); }
    });
    return tr;
  }
  function say(text) { status.textContent = text || ''; }
  function getJson(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.error || ('HTTP ' + r.status)); }
        return body;
      });
    });
  }
  function post(params) {
    return fetch(self, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'X-Callrec-Csrf': csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString()
    }).then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); });
  }
  function showProblems(list) {
    var ul = document.getElementById('problems');
    ul.textContent = '';
    (list || []).forEach(function (p) { ul.appendChild(el('li', p)); });
  }
  function duration(ms) {
    if (ms === null || ms === undefined || ms < 0) { return ''; }
    var s = Math.floor(ms / 1000);
    return Math.floor(s / 60) + ':' + ('0' + (s % 60)).slice(-2);
  }
  function tbody(id) { var b = document.querySelector('#' + id + ' tbody'); b.textContent = ''; return b; }

  var pages = {
    activity: function () {
      function refresh() {
        getJson(api + '/activity').then(function (rows) {
          var b = tbody('activity');
          rows.forEach(function (r) {
            var since = r.since ? Date.now() - Date.parse(r.since) : null;
            var tr = row([r.name || '(unknown user)', r.extension, r.state, r.otherParty || '',
              r.state === 'IDLE' ? '' : duration(since), r.state === 'IDLE' ? '' : (r.recording ? 'yes' : 'no'),
              r.notRecordedReason || (r.diagnosis ? r.diagnosis + (r.likelyCauses.length ? ' (check: '
                + r.likelyCauses.join('; ') + ')' : '') : '')]);
            tr.children[5].className = r.recording ? 'rec-yes' : '';
            tr.children[6].className = 'why';
            tr.setAttribute('data-extension', r.extension);
            tr.setAttribute('data-state', r.state);
            b.appendChild(tr);
          });
          say('Updated ' + new Date().toLocaleTimeString());
        }).catch(function (e) { say('Activity unavailable: ' + e.message); });
      }
      refresh();
      setInterval(refresh, 1000);
    },

    recordings: function () {
      var form = document.getElementById('search');
      var offset = 0, limit = 25, total = 0;
      function search() {
        var q = new URLSearchParams();
        ['from', 'to', 'extension', 'user', 'ani', 'dnis', 'status'].forEach(function (n) {
          var v = form.elements[n].value.trim(); if (v) { q.set(n, v); }
        });
        var min = form.elements.minDurationS.value.trim();
        if (min) { q.set('minDurationMs', String(Math.round(parseFloat(min) * 1000))); }
        q.set('offset', offset); q.set('limit', limit);
        getJson(api + '/recordings?' + q.toString()).then(function (page) {
          total = page.total;
          var b = tbody('recordings');
          page.recordings.forEach(function (r) {
            var m = r.metadata || {};
            var audio = el('span');
            if (r.status !== 'SKIPPED' && r.status !== 'FAILED') {
              var a = el('audio'); a.controls = true; a.preload = 'none';
              a.src = api + '/recordings/' + encodeURIComponent(r.id) + '/audio';
              var d = el('a', 'download'); d.href = a.src + '?download=1';
              audio.appendChild(a); audio.appendChild(document.createTextNode(' ')); audio.appendChild(d);
            } else {
              audio.textContent = r.statusReason || '';
            }
            var lost = r.counters ? (r.counters['packets.lost'] || 0) : 0;
            var state = el('span', r.status);
            if (r.status === 'DECODE_PENDING') {
              // G.729 kept raw: decode it now that (or if) the codec is installed
              var dec = el('button', 'Decode now', 'decode');
              dec.type = 'button';
              dec.addEventListener('click', function () {
                dec.disabled = true;
                post({ action: 'decode', id: r.id }).then(function (res) {
                  if (res.ok) { say('Recording decoded: ' + res.body.status); search(); }
                  else { dec.disabled = false; say('Not decoded: ' + (res.body.error || 'error')); }
                }).catch(function (e) { dec.disabled = false; say('Not decoded: ' + e.message); });
              });
              state.appendChild(document.createTextNode(' '));
              state.appendChild(dec);
            }
            var tr = row([m.start, m.extension, m.ani || '', m.dnis || '', duration(r.durationMillis), state,
              (r.codecs || []).join(' '), lost, (r.gaps || []).length, (r.dtmf || []).map(function (x) { return x.digit; }).join(''),
              audio]);
            tr.setAttribute('data-id', r.id);
            // every loss counter (lost, late, duplicated, concealed ms, ...) on the Lost cell
            tr.children[7].title = Object.keys(r.counters || {}).sort().map(function (k) {
              return k + ': ' + r.counters[k];
            }).join('\n');
            b.appendChild(tr);
            if (r.status !== 'SKIPPED') {
              // one band per direction, gaps in red, DTMF digits in orange
              var wave = el('tr', null, 'waveform');
              wave.setAttribute('data-waveform-of', r.id);
              var td = el('td');
              td.colSpan = 11;
              var img = el('img');
              img.alt = 'waveform';
              img.loading = 'lazy';
              img.src = api + '/recordings/' + encodeURIComponent(r.id) + '/waveform.png?v=' + encodeURIComponent(r.status);
              td.appendChild(img);
              wave.appendChild(td);
              b.appendChild(wave);
            }
          });
          document.getElementById('pageinfo').textContent =
            total === 0 ? 'no recordings' : (offset + 1) + '-' + Math.min(offset + limit, total) + ' of ' + total;
          say('');
        }).catch(function (e) { say('Search failed: ' + e.message); });
      }
      form.addEventListener('submit', function (ev) { ev.preventDefault(); offset = 0; search(); });
      document.getElementById('prev').addEventListener('click', function () { offset = Math.max(0, offset - limit); search(); });
      document.getElementById('next').addEventListener('click', function () { if (offset + limit < total) { offset += limit; search(); } });
      search();
    },

    users: function () {
      var form = document.getElementById('user');
      function load() {
        getJson(api + '/users').then(function (users) {
          var b = tbody('users');
          users.forEach(function (u) {
            var edit = el('button', 'Edit'); edit.type = 'button';
            edit.addEventListener('click', function () {
              form.elements.id.value = u.id; form.elements.name.value = u.name; form.elements.account.value = u.account;
              form.elements.licensed.checked = u.licensed; form.elements.recordingServer.value = u.recordingServer;
              form.elements.extension.value = u.extension;
              form.elements.additionalExtensions.value = (u.additionalExtensions || []).join(', ');
              form.elements.endpointIp.value = u.endpointIp || '';
            });
            var del = el('button', 'Delete'); del.type = 'button';
            del.addEventListener('click', function () {
              if (!confirm('Delete user ' + u.name + '?')) { return; }
              post({ action: 'delete', id: u.id }).then(function () { setTimeout(load, 300); });
            });
            var actions = el('span'); actions.appendChild(edit); actions.appendChild(del);
            var tr = row([u.name, u.account, u.licensed ? 'yes' : 'no', u.recordingServer, u.extension,
              (u.additionalExtensions || []).join(', '), u.endpointIp || '', actions]);
            tr.setAttribute('data-extension', u.extension);
            b.appendChild(tr);
          });
        }).catch(function (e) { say('Users unavailable: ' + e.message); });
      }
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        var p = { action: 'save' };
        ['id', 'name', 'account', 'recordingServer', 'extension', 'additionalExtensions', 'endpointIp'].forEach(function (n) {
          p[n] = form.elements[n].value;
        });
        p.licensed = form.elements.licensed.checked ? 'true' : 'false';
        post(p).then(function (r) {
          showProblems(r.ok ? [] : (r.body.problems || [r.body.error]));
          if (r.ok) { form.reset(); form.elements.id.value = ''; say('Saved.'); setTimeout(load, 500); }
        });
      });
      document.getElementById('new').addEventListener('click', function () { form.reset(); form.elements.id.value = ''; });
      document.getElementById('import').addEventListener('submit', function (ev) {
        ev.preventDefault();
        post({ action: 'import', csv: ev.target.elements.csv.value }).then(function (r) {
          showProblems(r.ok ? r.body.problems : [r.body.error]);
          say(r.ok && r.body.problems.length === 0 ? 'Imported.' : 'Imported with problems.');
          setTimeout(load, 500);
        });
      });
      load();
    },

    services: function () {
      var form = document.getElementById('services');
      function showSwitch(sw) {
        var p = document.getElementById('lastswitch');
        p.textContent = sw ? ((sw.from || '(start-up)') + ' \u2192 ' + sw.to + ' in ' + sw.millis + ' ms; started: '
          + (sw.started.join(', ') || 'none') + '; stopped: ' + (sw.stopped.join(', ') || 'none')
          + (sw.problems.length ? '; problems: ' + sw.problems.join('; ') : '')) : 'none yet';
      }
      function load() {
        return getJson(self + '?format=json').then(function (s) {
          form.elements.mode.value = s.mode;
          Object.keys(s.values).forEach(function (k) {
            if (form.elements[k]) { form.elements[k].value = s.values[k] === null ? '' : String(s.values[k]); }
          });
          showSwitch(s.lastModeSwitch);
          return s;
        });
      }
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        var p = {};
        Array.prototype.forEach.call(form.elements, function (e) { if (e.name) { p[e.name] = e.value; } });
        post(p).then(function (r) {
          showProblems(r.ok ? [] : (r.body.problems || [r.body.error]));
          if (r.ok) { say('Saved.'); setTimeout(load, 700); setTimeout(load, 2000); }
        });
      });
      load().catch(function (e) { say('Services unavailable: ' + e.message); });
    },

    health: function () {
      function refresh() {
        getJson(api + '/health').then(function (s) {
          document.getElementById('mode').textContent = s.mode || 'unknown';
          document.getElementById('pending').textContent = s.decodePending === null ? 'catalog not available'
            : s.decodePending + ' decode-pending recording(s)' + (s.decodePending ? ' (decoded when the G.729 library is present; see the Recordings page)' : '');
          var ha = tbody('ha');
          if (s.ha) {
            [['Node', s.ha.nodeId], ['Role', s.ha.role], ['Active', s.ha.active ? 'yes' : 'no'], ['Since', s.ha.since],
              ['Peer', s.ha.peer || ''], ['Last valid heartbeat', s.ha.lastValidHeartbeat || 'none'],
              ['Rejected heartbeats', s.ha.rejectedHeartbeats]].forEach(function (kv) { ha.appendChild(row(kv)); });
          } else {
            ha.appendChild(row(['HA', 'not active in this mode (standalone)']));
          }
          var links = tbody('links');
          s.links.forEach(function (l) {
            links.appendChild(row([l.id, l.link.status, l.link.since, l.link.lastError || '']));
          });
          var checks = tbody('checks');
          s.checks.forEach(function (c) {
            var tr = row([c.check, c.status, c.message, (c.details || []).join('\n')]);
            tr.setAttribute('data-status', c.status);
            checks.appendChild(tr);
          });
          say('Updated ' + new Date().toLocaleTimeString());
        }).catch(function (e) { say('Diagnostics unavailable: ' + e.message); });
      }
      refresh();
      setInterval(refresh, 2000);
    }
  };
  var page = pages[root.getAttribute('data-page')];
  if (page) { page(); }
}());
