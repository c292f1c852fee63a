// report.html lives in render/html/ (one file per section); this path stays for existing imports.
export { escapeHtml, formatUtc, renderReportHtml, REPORT_SECTIONS, STATUS_COLORS, STATUS_LABELS } from './render/html/index';
export type { RenderReportHtmlOptions, ReportSignatureInfo } from './render/html/index';
