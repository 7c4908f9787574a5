// The explorer's entry: mounts the app into the page served at /explore.
import { html } from 'htm/preact';
import { render } from 'preact';
import { loadAreas } from './areas.js';
import { App } from './components/app.js';
import { parseState } from './state.js';
import './style.css';

// The boundaries are the largest download: start it alongside the dataset list.
void loadAreas(parseState(location.search).areas).catch(() => undefined);

const root = document.getElementById('app')!;
root.replaceChildren();
render(html`<${App} />`, root);
