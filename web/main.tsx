// The theme first: component CSS modules come later in the bundle and win ties over it.
import './theme.css';
import { render } from 'preact';
import { App } from './components/App/index.js';

render(<App />, document.getElementById('app')!);
