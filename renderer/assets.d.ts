// Stylesheets are imported for their side effect: Vite emits them as a file.
declare module '*.css';
