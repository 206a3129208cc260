/*
 * Starts the API requests the first screen needs while the app's code is still downloading: the
 * session, and on the citizens' pages their data (the request form, a tracking link's request). The
 * app's API client (web/src/api/client.ts, takeEarlyResponse) uses each answer once, for the same
 * request; an answer nobody asks for within 10 seconds is left alone. Plain ES5, no dependencies:
 * it runs before the app, from its own file because the Content-Security-Policy forbids inline code.
 */
(function () {
  var early = {};
  window.__urpnetEarly = early;
  var lang = 'it';
  try {
    if (window.localStorage.getItem('urpnet.locale') === 'en') lang = 'en';
  } catch (e) {
    /* storage blocked: the app falls back to Italian too */
  }
  function get(path) {
    early[path] = window.fetch('/api/v1' + path, { credentials: 'same-origin', headers: { Accept: 'application/json', 'Accept-Language': lang } });
    early[path].catch(function () {});
  }
  var page = window.location.pathname;
  if (page === '/segui') {
    var token = decodeURIComponent(window.location.hash.replace(/^#/, '').split('&')[0].trim());
    if (/^[A-Za-z0-9_-]{20,100}$/.test(token)) get('/portal/track/' + token);
  } else if (page === '/richiesta') {
    var body = /[?&]ente=([0-9a-fA-F-]{36})(?:&|$)/.exec(window.location.search);
    get('/portal/request-form?' + (body ? 'organisationId=' + body[1] + '&' : '') + 'lang=' + lang);
  }
  get('/auth/session');
})();
