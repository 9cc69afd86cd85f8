import { render } from 'preact';

function Placeholder() {
  return (
    <main>
      <h1>hookscope</h1>
      <p>The inspector is on its way. Meanwhile, create a bin with <code>POST /api/bins</code>; the API is described at <a href="/api/openapi.json">/api/openapi.json</a>.</p>
    </main>
  );
}

render(<Placeholder />, document.getElementById('app')!);
