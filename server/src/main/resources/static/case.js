// Keeps what a person types on a case's documentation form in this browser tab (sessionStorage,
// gone when the tab closes), under their user name and the case: if saving fails (a session that
// ended, a refused field), the case page puts it back. A save that went through clears it.
(function () {
  var form = document.getElementById('document');
  if (!form || !window.sessionStorage) return;
  var key = 'careloop-draft:' + form.dataset.draft;
  var fields = Array.prototype.filter.call(form.elements, function (e) {
    return e.name && e.name !== '_csrf' && e.type !== 'hidden' && e.type !== 'submit';
  });
  if (form.dataset.saved === 'true') sessionStorage.removeItem(key);
  var kept = sessionStorage.getItem(key);
  if (kept) {
    var values = JSON.parse(kept);
    var restored = false;
    fields.forEach(function (e) {
      if (!(e.name in values)) return;
      if (e.type === 'checkbox') e.checked = values[e.name];
      else e.value = values[e.name];
      restored = restored || (e.type === 'checkbox' ? e.checked : e.value !== '');
    });
    if (restored) document.getElementById('draft-restored').hidden = false;
  }
  function keep() {
    var values = {};
    fields.forEach(function (e) { values[e.name] = e.type === 'checkbox' ? e.checked : e.value; });
    sessionStorage.setItem(key, JSON.stringify(values));
  }
  form.addEventListener('input', keep);
  form.addEventListener('change', keep);
})();
