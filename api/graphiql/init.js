// Starts GraphiQL on this server's endpoint. An external file, because the page's
// Content-Security-Policy allows no inline script. React, ReactDOM and GraphiQL are the
// globals set by the UMD files loaded before this one (see README.md here).
"use strict";
(function () {
  const fetcher = GraphiQL.createFetcher({
    url: new URL("/graphql", window.location.origin).toString(),
  });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, { fetcher, defaultEditorToolbarTabOpen: true }),
  );
})();
