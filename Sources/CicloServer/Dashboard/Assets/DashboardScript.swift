/// The dashboard's one script: conveniences on top of pages that already work without it.
enum DashboardScript {
    static let js = """
        "use strict";
        document.addEventListener("DOMContentLoaded", () => {
          // A select that switches something submits its form at once.
          for (const select of document.querySelectorAll("select[data-autosubmit]")) {
            select.addEventListener("change", () => select.form.submit());
          }
          // Destructive buttons ask first.
          for (const button of document.querySelectorAll("[data-confirm]")) {
            button.addEventListener("click", (event) => { if (!confirm(button.dataset.confirm)) event.preventDefault(); });
          }
          // Live preview: a form marked data-preview posts itself to its preview URL as the user types.
          for (const form of document.querySelectorAll("form[data-preview]")) {
            const count = document.getElementById("preview-count");
            const sample = document.getElementById("preview-sample");
            const status = document.getElementById("preview-status");
            let timer = null, sequence = 0;
            const run = async () => {
              const mine = ++sequence;
              status.textContent = "Counting…";
              try {
                const response = await fetch(form.dataset.preview, { method: "POST", body: new URLSearchParams(new FormData(form)),
                  headers: { "Accept": "application/json" }, credentials: "same-origin" });
                const body = await response.json();
                if (mine !== sequence) return;
                if (!response.ok) { status.textContent = body.message || "The condition is not valid yet."; return; }
                count.textContent = body.countText;
                sample.replaceChildren(...body.sample.map((person) => {
                  const item = document.createElement("li");
                  const link = document.createElement("a");
                  link.href = "/people/" + person.id;
                  link.textContent = person.label;
                  item.append(link);
                  return item;
                }));
                status.textContent = "Live count — not saved yet.";
              } catch (error) {
                status.textContent = "Could not reach Ciclo to count.";
              }
            };
            form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 400); });
            form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(run, 150); });
          }
        });
        """
}
