import type { ReactNode } from 'react';

/**
 * A link that leaves the app. In Electron the window-open handler sends it to the OS browser
 * (allow-listed hosts only); in web mode the browser opens a new tab without an opener.
 */
export function ExternalLink(props: { readonly href: string; readonly children: ReactNode }) {
  return (
    <a href={props.href} target="_blank" rel="noopener noreferrer">
      {props.children}
      <span className="visually-hidden"> (opens in your browser)</span>
    </a>
  );
}
