// Enhances a kelurahan <select> grouped by kecamatan (<optgroup>): a kecamatan <select>
// comes first and the kelurahan list shows only that kecamatan's. Without JavaScript the
// grouped list works as it is.
(function () {
  "use strict";
  function enhance(select) {
    var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));
    if (groups.length < 2) { return; }
    var picker = document.createElement("select");
    picker.id = select.id + "-kecamatan";
    var label = document.createElement("label");
    label.htmlFor = picker.id;
    label.textContent = select.getAttribute("data-kecamatan-label") || "Kecamatan";
    var all = document.createElement("option");
    all.value = "";
    all.textContent = select.getAttribute("data-all-label") || "—";
    picker.appendChild(all);
    groups.forEach(function (group, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = group.label;
      if (group.querySelector("option:checked")) { option.selected = true; }
      picker.appendChild(option);
    });
    function show() {
      groups.forEach(function (group, index) {
        var hidden = picker.value !== "" && String(index) !== picker.value;
        group.hidden = hidden;
        group.disabled = hidden;
      });
      var chosen = select.selectedOptions[0];
      if (chosen && chosen.parentElement && chosen.parentElement.disabled) { select.value = ""; }
    }
    picker.addEventListener("change", show);
    var wrapper = document.createElement("p");
    wrapper.appendChild(label);
    wrapper.appendChild(picker);
    var field = select.closest("p, div") || select;
    field.parentNode.insertBefore(wrapper, field);
    show();
  }
  document.querySelectorAll("select[data-kelurahan-picker]").forEach(enhance);
})();
