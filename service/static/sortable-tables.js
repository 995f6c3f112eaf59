/* Every table.sortable of the page sorts by a click on its column headings (table.js). */
document.querySelectorAll("table.sortable").forEach(function (t) { window.fukushiSortable(t); });
