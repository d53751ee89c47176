// The case page's timeline: arrow keys move between its events (each is focusable, and
// announced by its name), and printing opens the tables kept in <details> (the events
// table), closing them again afterwards. No inline code: the CSP allows scripts from files.
(() => {
  const marks = () => Array.from(document.querySelectorAll(".timeline .ev[tabindex]"));

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (!(target instanceof Element) || !target.matches(".timeline .ev[tabindex]")) return;
    const all = marks();
    const at = all.indexOf(target);
    let next = -1;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = Math.min(at + 1, all.length - 1);
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = Math.max(at - 1, 0);
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = all.length - 1;
    if (next < 0) return;
    event.preventDefault();
    all[next].focus();
  });

  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = Array.from(document.querySelectorAll("details.print-open:not([open])"));
    opened.forEach((details) => { details.open = true; });
  });
  window.addEventListener("afterprint", () => {
    opened.forEach((details) => { details.open = false; });
    opened = [];
  });
})();
