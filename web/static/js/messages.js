// Messages pages: times in the reader's time zone, Ctrl+Enter (or Cmd+Enter) sends, and the
// newest message of a thread in view. No inline script: the Content Security Policy forbids it.
document.querySelectorAll("time[datetime]").forEach((element) => {
  const moment = new Date(element.getAttribute("datetime"));
  if (!Number.isNaN(moment.getTime())) {
    element.textContent = moment.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }
});

document.querySelectorAll("form[data-message-form] textarea").forEach((textarea) => {
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      textarea.form.requestSubmit();
    }
  });
});

const thread = document.getElementById("thread");
if (thread && thread.lastElementChild && !window.location.hash) {
  thread.lastElementChild.scrollIntoView({ block: "nearest" });
}
