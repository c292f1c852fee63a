// report.html of an evidence package: the renderer, its escaping template and its labels.
export { renderReportHtml, REPORT_CSP, REPORT_CSP_META } from './document';
export type { RenderReportHtmlOptions, ReportSignatureInfo } from './context';
export { escapeHtml, html, SafeHtml } from './safe-html';
export type { HtmlValue } from './safe-html';
export { formatUtc, STATUS_COLORS, STATUS_LABELS } from './format';
export { REPORT_SECTIONS } from '../../../../shared/sections';
