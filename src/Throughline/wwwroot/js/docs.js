// The onboarding docs' diagrams: Mermaid (vendored, wwwroot/vendor/mermaid-12.3.0) draws each <pre class="mermaid"> as an SVG.
// strict: labels are text, never HTML, and a diagram cannot bind a click to a script. Without JavaScript the source stays readable.
(function () {
  if (!window.mermaid) return;
  window.mermaid.initialize({ startOnLoad: true, securityLevel: "strict", theme: "neutral" });
})();
