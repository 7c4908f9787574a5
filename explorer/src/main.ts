// The explorer's entry: mounts the app into the page served at /explore.
import { html } from 'htm/preact';
import { render } from 'preact';
import { App } from './components/app.js';
import './style.css';

const root = document.getElementById('app')!;
root.replaceChildren();
render(html`<${App} />`, root);
