// lute dashboard: follows the store live through the stream the page names (data-live on <body>). Everything the
// stream sends goes into the page as text (textContent), never as markup; a status's class comes from the list below.
'use strict';
(function () {
  const live = document.body.dataset.live;
  if (!live) {
    return;
  }

  const statuses = ['PENDING', 'RUNNING', 'STOPPED', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEDOUT', 'ABANDONED'];

  function badge(status, ended) {
    const span = document.createElement('span');
    const known = statuses.includes(status) ? status : 'UNKNOWN';
    span.className = 'status status-' + known.toLowerCase();
    span.dataset.status = known;
    span.textContent = known + (ended ? '' : '\u2026');
    return span;
  }

  function cell(text, className) {
    const td = document.createElement('td');
    if (className) {
      td.className = className;
    }
    td.textContent = text;
    return td;
  }

  function fill(tr, run) {
    const id = Number(run.id);
    const link = document.createElement('a');
    link.href = '/runs/' + id;
    link.textContent = String(id);
    const first = document.createElement('td');
    first.append(link);
    const status = document.createElement('td');
    status.className = 'status-cell';
    status.append(badge(run.status, run.ended));
    tr.replaceChildren(first, cell(run.task, 'task'), cell(run.experiment), status, cell(run.started),
      cell(run.duration, 'duration'), cell(run.host), cell(run.exit, 'exit'), cell(run.reason, 'reason'));
    tr.dataset.ended = run.ended ? '1' : '0';
  }

  const source = new EventSource(live);
  const rows = document.querySelector('#runs tbody');
  const count = document.getElementById('count');

  source.addEventListener('run', function (event) {
    const run = JSON.parse(event.data);
    const id = 'run-' + Number(run.id);
    let tr = document.getElementById(id);
    if (!tr) {
      if (!rows) {
        return;
      }
      tr = document.createElement('tr');
      tr.id = id;
      rows.prepend(tr);
      if (count) {
        count.textContent = String(Number(count.textContent) + 1);
      }
    }
    fill(tr, run);
  });

  const log = document.getElementById('log');
  source.addEventListener('line', function (event) {
    if (!log) {
      return;
    }
    const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.append(document.createTextNode(JSON.parse(event.data) + '\n'));
    if (atEnd) {
      log.scrollTop = log.scrollHeight;
    }
  });

  function showStatus(run) {
    const holder = document.getElementById('status');
    if (holder) {
      holder.replaceChildren(badge(run.status, run.ended));
    }
    if (run.ended) {
      const actions = document.querySelector('.actions');
      if (actions) {
        actions.remove();
      }
    }
  }

  source.addEventListener('status', function (event) {
    showStatus(JSON.parse(event.data));
  });

  source.addEventListener('end', function (event) {
    showStatus(JSON.parse(event.data));
    document.body.dataset.ended = '1';
    source.close();
  });
})();
