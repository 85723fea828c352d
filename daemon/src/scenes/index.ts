export * from './parser/index.js';
export * from './static/index.js';
