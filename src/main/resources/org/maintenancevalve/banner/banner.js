/* Maintenance Valve: a bar at the top of the application's own pages while maintenance is scheduled or on.
 * <script src="<context>/maintenance-valve/banner.js" defer></script>   (data-poll-seconds="60" sets the pace)
 * Asks status.json beside itself; shows the message as text, times in the reader's time zone; never throws. */
(function () {
  'use strict';
  var w = window, d = document;
  var T = {
    en: ['Maintenance starts {t} (in {c}).',
      'Read-only maintenance starts {t} (in {c}): you will be able to read, but not to save changes.',
      'Maintenance has started: what you send now will not be saved.',
      'Read-only maintenance: you can read and search, changes are not saved.',
      'Maintenance is on: users are held out. You are let in.',
      'Read-only maintenance is on: users cannot save changes. Yours are let through.',
      'Expected end: {t}.', 'It is taking longer than planned (expected end was {t}).', 'Dismiss'],
    de: ['Die Wartung beginnt am {t} (in {c}).',
      'Die Wartung im Nur-Lese-Modus beginnt am {t} (in {c}): Sie können dann lesen, aber keine Änderungen speichern.',
      'Die Wartung hat begonnen: Was Sie jetzt senden, wird nicht gespeichert.',
      'Wartung im Nur-Lese-Modus: Lesen und Suchen funktionieren, Änderungen werden nicht gespeichert.',
      'Die Wartung läuft: Benutzer haben keinen Zugang. Sie werden durchgelassen.',
      'Die Wartung im Nur-Lese-Modus läuft: Benutzer können nichts speichern. Ihre Änderungen werden durchgelassen.',
      'Voraussichtliches Ende: {t}.', 'Es dauert länger als geplant (geplantes Ende: {t}).', 'Schließen'],
    fr: ['La maintenance commence le {t} (dans {c}).',
      'La maintenance en lecture seule commence le {t} (dans {c}) : vous pourrez consulter, mais pas enregistrer de modifications.',
      'La maintenance a commencé : ce que vous envoyez maintenant ne sera pas enregistré.',
      'Maintenance en lecture seule : vous pouvez consulter et rechercher, les modifications ne sont pas enregistrées.',
      'La maintenance est en cours : les utilisateurs sont tenus à l’écart. Vous avez accès.',
      'La maintenance en lecture seule est en cours : les utilisateurs ne peuvent rien enregistrer. Vos modifications passent.',
      'Fin prévue : {t}.', 'Cela prend plus de temps que prévu (fin prévue : {t}).', 'Fermer'],
    es: ['El mantenimiento empieza el {t} (en {c}).',
      'El mantenimiento de solo lectura empieza el {t} (en {c}): podrá leer, pero no guardar cambios.',
      'El mantenimiento ha empezado: lo que envíe ahora no se guardará.',
      'Mantenimiento de solo lectura: puede leer y buscar, los cambios no se guardan.',
      'El mantenimiento está en curso: los usuarios no tienen acceso. Usted sí tiene acceso.',
      'El mantenimiento de solo lectura está en curso: los usuarios no pueden guardar cambios. Sus cambios sí pasan.',
      'Fin previsto: {t}.', 'Está tardando más de lo previsto (fin previsto: {t}).', 'Cerrar'],
    ja: ['メンテナンスは{t}に始まります（あと{c}）。',
      '閲覧のみのメンテナンスが{t}に始まります（あと{c}）。閲覧はできますが、変更は保存できません。',
      'メンテナンスが始まりました。今から送信する内容は保存されません。',
      '閲覧のみのメンテナンス中です。閲覧と検索はできますが、変更は保存されません。',
      'メンテナンス中です。ユーザーはアクセスできませんが、あなたはアクセスできます。',
      '閲覧のみのメンテナンス中です。ユーザーは変更を保存できませんが、あなたの変更は通ります。',
      '終了予定：{t}。', '予定より時間がかかっています（終了予定：{t}）。', '閉じる'],
    pt: ['A manutenção começa em {t} (faltam {c}).',
      'A manutenção somente leitura começa em {t} (faltam {c}): você poderá ler, mas não salvar alterações.',
      'A manutenção começou: o que você enviar agora não será salvo.',
      'Manutenção somente leitura: você pode ler e pesquisar, as alterações não são salvas.',
      'A manutenção está em andamento: os usuários estão sem acesso. Você tem acesso.',
      'A manutenção somente leitura está em andamento: os usuários não podem salvar alterações. As suas alterações passam.',
      'Término previsto: {t}.', 'Está demorando mais do que o previsto (término previsto: {t}).', 'Fechar']
  };
  // Light and dark: background, text, accent stripe, per tone.
  var TONES = {
    info: [['#e9f2ff', '#172b4d', '#0c66e4'], ['#1c2b41', '#dee4ea', '#579dff']],
    warn: [['#fff7d6', '#172b4d', '#b38600'], ['#332e1b', '#f1f2f4', '#f5cd47']],
    admin: [['#fff3eb', '#172b4d', '#e56910'], ['#3a2a1f', '#f1f2f4', '#fea362']],
    late: [['#ffeceb', '#172b4d', '#c9372c'], ['#42221f', '#f1f2f4', '#f87168']]
  };
  var KEY = 'maintenance-valve-dismissed';
  var MAX_BACKOFF = 15 * 60000;

  function guard(f) {
    return function () {
      try {
        return f.apply(this, arguments);
      } catch (e) {
        // Never into the page: the bar is a courtesy, the page is the user's.
      }
    };
  }

  guard(function () {
    if (w.__maintenanceValveBanner || !w.XMLHttpRequest || !d.addEventListener) {
      return;
    }
    w.__maintenanceValveBanner = true;
    var me = d.currentScript, scripts, i;
    if (!me) {
      scripts = d.getElementsByTagName('script');
      for (i = scripts.length - 1; i >= 0 && !me; i--) {
        if (/banner\.js([?#]|$)/.test(scripts[i].src)) {
          me = scripts[i];
        }
      }
    }
    if (!me || !me.src) {
      return;
    }
    var statusUrl = me.src.split(/[?#]/)[0].replace(/[^\/]*$/, 'status.json');
    var seconds = parseFloat(me.getAttribute('data-poll-seconds'));
    var baseMs = 1000 * (seconds >= 1 && seconds <= 3600 ? seconds : 60);

    var locale = 'en', lang = 'en', tags = [d.documentElement.lang], k;
    tags = tags.concat(navigator.languages || [navigator.language]);
    for (i = 0; i < tags.length; i++) {
      k = String(tags[i] || '').toLowerCase().slice(0, 2);
      if (T.hasOwnProperty(k)) {
        lang = k;
        locale = String(tags[i]);
        break;
      }
    }
    var t = T[lang];
    var dark = w.matchMedia ? w.matchMedia('(prefers-color-scheme: dark)') : null;

    var bar = null, text, countdown, end, message, close, tone = 'info';
    var status = null, startAt = 0, timer = null, tick = null, failures = 0, stopped = false, lastPoll = 0;
    var dismissed = null;
    try {
      dismissed = w.sessionStorage.getItem(KEY);
    } catch (e) {
      // storage may be off: then dismissing lasts for this page only
    }

    function css(el, props) {
      for (var p in props) {
        if (props.hasOwnProperty(p)) {
          el.style.setProperty(p, props[p], 'important');
        }
      }
    }

    function el(tag, props) {
      var e = d.createElement(tag);
      css(e, {margin: '0', padding: '0', border: '0', float: 'none', 'text-transform': 'none',
        'letter-spacing': 'normal', font: 'inherit', color: 'inherit', background: 'transparent'});
      if (props) {
        css(e, props);
      }
      return e;
    }

    function build() {
      bar = el('div', {display: 'flex', 'align-items': 'flex-start', gap: '12px', 'box-sizing': 'border-box',
        width: '100%', padding: '10px 12px 10px 16px', 'border-left': '4px solid', position: 'relative',
        'z-index': '2147483000', 'text-align': 'start',
        font: '14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'});
      bar.id = 'maintenance-valve-banner';
      bar.setAttribute('role', 'status');
      bar.setAttribute('lang', lang);
      var body = el('div', {flex: '1 1 auto', 'min-width': '0', 'overflow-wrap': 'anywhere'});
      text = el('span');
      text.className = 'maintenance-valve-text';
      end = el('span');
      end.className = 'maintenance-valve-end';
      message = el('span', {display: 'block', 'font-weight': '600', 'margin-top': '2px', 'white-space': 'pre-line'});
      message.className = 'maintenance-valve-message';
      close = el('button', {'flex': '0 0 auto', cursor: 'pointer', 'font-size': '20px', 'line-height': '1',
        padding: '2px 6px', 'border-radius': '4px'});
      close.type = 'button';
      close.setAttribute('aria-label', t[8]);
      close.title = t[8];
      close.appendChild(d.createTextNode('\u00d7'));
      close.addEventListener('click', guard(function () {
        dismissed = keyOf(status);
        try {
          w.sessionStorage.setItem(KEY, dismissed);
        } catch (e) {
          // see above
        }
        remove();
      }));
      body.appendChild(text);
      body.appendChild(end);
      body.appendChild(message);
      bar.appendChild(body);
      bar.appendChild(close);
    }

    function paint() {
      if (bar) {
        var c = TONES[tone][dark && dark.matches ? 1 : 0];
        css(bar, {background: c[0], color: c[1], 'border-left-color': c[2]});
        bar.setAttribute('data-tone', tone);
      }
    }

    function show() {
      if (!bar) {
        build();
      }
      if (!bar.parentNode && d.body) {
        d.body.insertBefore(bar, d.body.firstChild);
      }
      paint();
    }

    function remove() {
      stopTick();
      if (bar && bar.parentNode) {
        bar.parentNode.removeChild(bar);
      }
    }

    function keyOf(s) {
      return s ? [s.phase, s.mode, s.message, s.from, s.until].join('\n') : '';
    }

    // A time in the reader's zone and language: with the date, or (for an end on the same day as
    // `day`) the time alone.
    function when(iso, day) {
      var date = new Date(iso), options = {hour: 'numeric', minute: '2-digit'};
      if (isNaN(date.getTime())) {
        return String(iso);
      }
      if (!day || date.toDateString() !== day.toDateString()) {
        options.weekday = 'short';
        options.day = 'numeric';
        options.month = 'short';
      }
      try {
        return date.toLocaleString(locale, options);
      } catch (e) {
        try {
          return date.toLocaleString(lang, options);
        } catch (e2) {
          return date.toString();
        }
      }
    }

    function pad(n) {
      return (n < 10 ? '0' : '') + n;
    }

    function clock(ms) {
      var s = Math.max(0, Math.ceil(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
      return (h ? h + ':' + pad(m) : m) + ':' + pad(s % 60);
    }

    // Fills a sentence: {t} a time, {c} the countdown (its own element, hidden from screen readers:
    // the start time says it once, a number changing each second would not).
    function fill(target, sentence, vars) {
      while (target.firstChild) {
        target.removeChild(target.firstChild);
      }
      var parts = sentence.split(/(\{[tc]\})/);
      for (var j = 0; j < parts.length; j++) {
        var name = /^\{([tc])\}$/.exec(parts[j]);
        if (name && name[1] === 'c') {
          countdown = el('span', {'font-variant-numeric': 'tabular-nums'});
          countdown.className = 'maintenance-valve-countdown';
          countdown.setAttribute('aria-hidden', 'true');
          countdown.appendChild(d.createTextNode(clock(startAt - Date.now())));
          target.appendChild(countdown);
        } else if (parts[j]) {
          target.appendChild(d.createTextNode(name ? vars[name[1]] : parts[j]));
        }
      }
    }

    function render(s) {
      var phase = s.phase, readOnly = s.mode === 'read-only';
      if (phase !== 'scheduled' && phase !== 'on' && phase !== 'overdue') {
        remove();
        return;
      }
      if (dismissed !== null && dismissed === keyOf(s)) {
        remove();
        return;
      }
      show();
      countdown = null;
      if (phase === 'scheduled') {
        tone = 'info';
        fill(text, t[readOnly ? 1 : 0], {t: when(s.from)});
      } else if (s.admitted === true) {
        // Inside while users are held out: the reminder that keeps a window from being forgotten.
        tone = 'admin';
        fill(text, t[readOnly ? 5 : 4], {});
      } else {
        tone = 'warn';
        fill(text, t[readOnly ? 3 : 2], {});
      }
      if (phase === 'overdue') {
        tone = 'late';
      }
      fill(end, s.until ? (lang === 'ja' ? '' : ' ') + t[phase === 'overdue' ? 7 : 6] : '',
        {t: when(s.until, phase === 'scheduled' ? new Date(s.from) : new Date())});
      message.textContent = typeof s.message === 'string' ? s.message : '';
      message.style.setProperty('display', message.textContent ? 'block' : 'none', 'important');
      bar.setAttribute('data-phase', phase);
      bar.setAttribute('data-mode', String(s.mode));
      paint();
      if (countdown) {
        startTick();
      } else {
        stopTick();
      }
    }

    function startTick() {
      if (!tick && !d.hidden) {
        tick = w.setInterval(guard(function () {
          var left = startAt - Date.now();
          if (countdown) {
            countdown.textContent = clock(left);
          }
          if (left <= 0) {
            // The window starts now: ask again within a few seconds (spread over many tabs).
            stopTick();
            schedule(1000 + Math.random() * 2000);
          }
        }), 1000);
      }
    }

    function stopTick() {
      if (tick) {
        w.clearInterval(tick);
        tick = null;
      }
    }

    function schedule(ms) {
      w.clearTimeout(timer);
      timer = stopped ? null : w.setTimeout(guard(poll), Math.max(0, ms));
    }

    function jitter(ms) {
      return ms * (0.8 + Math.random() * 0.4);
    }

    // The pace: the base interval with jitter; a quarter of it in the last five minutes before a
    // start (and once just after it); doubling after each failure, up to 15 minutes.
    function nextDelay() {
      if (failures > 0) {
        return jitter(Math.min(MAX_BACKOFF, baseMs * Math.pow(2, failures)));
      }
      var delay = jitter(baseMs);
      if (status && status.phase === 'scheduled') {
        var toStart = startAt - Date.now();
        if (toStart <= 5 * 60000) {
          delay = Math.min(jitter(baseMs / 4), toStart + 1000 + Math.random() * 2000);
        }
      }
      return Math.max(1000, delay);
    }

    function poll() {
      timer = null;
      if (stopped || d.hidden) {
        return; // visibilitychange asks again when the tab is shown
      }
      lastPoll = Date.now();
      var x = new XMLHttpRequest(), settled = false;
      x.open('GET', statusUrl, true);
      x.timeout = 10000;
      x.setRequestHeader('Accept', 'application/json');
      x.onreadystatechange = guard(function () {
        if (x.readyState !== 4 || settled) {
          return;
        }
        settled = true;
        var s = null;
        if (x.status === 200) {
          try {
            s = JSON.parse(x.responseText);
          } catch (e) {
            s = null;
          }
        }
        if (s && typeof s === 'object' && typeof s.phase === 'string') {
          failures = 0;
          status = s;
          startAt = Date.now() + 1000 * (typeof s.startsIn === 'number' ? s.startsIn : 0);
          render(s);
        } else if (x.status === 404 || x.status === 410) {
          // No valve answers here (removed, or bannerPath moved): nothing to show, nothing to ask.
          stopped = true;
          remove();
          return;
        } else {
          failures++;
        }
        schedule(nextDelay());
      });
      x.send();
    }

    d.addEventListener('visibilitychange', guard(function () {
      if (d.hidden) {
        w.clearTimeout(timer);
        timer = null;
        stopTick();
      } else if (!stopped) {
        var since = Date.now() - lastPoll;
        schedule(since >= baseMs / 2 ? Math.random() * 2000 : baseMs / 2 - since);
        if (countdown && bar && bar.parentNode) {
          startTick();
        }
      }
    }));
    if (dark) {
      if (dark.addEventListener) {
        dark.addEventListener('change', guard(paint));
      } else if (dark.addListener) {
        dark.addListener(guard(paint));
      }
    }
    if (d.body) {
      poll();
    } else {
      d.addEventListener('DOMContentLoaded', guard(poll));
    }
  })();
})();
