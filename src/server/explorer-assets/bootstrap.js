// Starts GraphiQL for People's explorer page. A file of its own, not an inline script, so the
// page's Content-Security-Policy can forbid inline scripts altogether.
//
// `npm start` prints /explorer#token=<dev token>: a URL fragment never leaves the browser, so the
// token reaches neither the server's logs nor a proxy's. It is moved into the headers editor
// and then taken off the address bar, where it would linger in history and screenshots.
(function () {
  'use strict';

  var fragment = new URLSearchParams(window.location.hash.slice(1));
  var token = fragment.get('token');
  if (window.location.hash) {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }

  var props = {
    // POST with content-type application/json: what Apollo's CSRF prevention lets through.
    // No incremental delivery: People serves no @defer/@stream, so plain JSON answers suffice.
    fetcher: window.GraphiQL.createFetcher({ url: '/graphql', enableIncrementalDelivery: false }),
    defaultQuery: [
      "# People's GraphQL explorer: operations go to /graphql",
      '# with the headers below (Authorization: Bearer <token>).',
      '# Tokens for other roles: npm run token -- --help',
      '# Run: the ▶ button or Ctrl-Enter.',
      '',
      '{',
      '  departments {',
      '    id',
      '    name',
      '  }',
      '}',
      '',
    ].join('\n'),
    defaultEditorToolsVisibility: 'headers',
  };
  if (token) {
    // `headers` replaces the editor's contents, so a fresh token wins over a stale one.
    props.headers = JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2);
  }

  var root = window.ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(window.React.createElement(window.GraphiQL, props));
})();
