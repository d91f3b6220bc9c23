// Behaviour the templates ask for by data attributes: the Content-Security-Policy allows no
// inline script, so no onclick / onsubmit in the markup.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
