import { mount } from 'svelte';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import App from './App.svelte';
import { applyTheme } from './lib/state/app.svelte.js';

applyTheme();
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', applyTheme);

mount(App, { target: document.getElementById('app')! });
