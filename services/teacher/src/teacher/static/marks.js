// Keyboard entry in the marks grid: Enter and ArrowDown move to the same assessment of the next learner,
// ArrowUp to the previous one. Without this script the grid still works (Tab along the row, Enter saves).
document.addEventListener("DOMContentLoaded", function () {
  var grid = document.getElementById("marks-grid");
  if (!grid) { return; }
  grid.addEventListener("keydown", function (event) {
    var cell = event.target;
    if (!cell.classList || !cell.classList.contains("mark")) { return; }
    var step = event.key === "ArrowUp" ? -1 : (event.key === "ArrowDown" || event.key === "Enter") ? 1 : 0;
    if (!step) { return; }
    var column = Array.prototype.filter.call(grid.querySelectorAll("input.mark"), function (input) {
      return input.dataset.col === cell.dataset.col;
    });
    var next = column[column.indexOf(cell) + step];
    if (next) { event.preventDefault(); next.focus(); next.select(); }
    else if (event.key !== "Enter") { event.preventDefault(); }
  });
});
