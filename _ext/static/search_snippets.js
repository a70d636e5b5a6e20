// Search result snippets. Sphinx takes them from the page's [role="main"], which in this theme also
// holds the page toolbar (".ipynb", ".pdf") and the page's table of contents: snippets began
// "....pdf". Take the text of the article alone, with its white space collapsed.
(() => {
  if (typeof Search === "undefined") return;  // only search.html loads Sphinx's searchtools.js
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(".headerlink, script, style").forEach((el) => el.remove());
    const article = page.querySelector("article.bd-article") || page.querySelector('[role="main"]');
    if (!article) return "";
    const part = (anchor && article.querySelector(anchor)) || article;
    return part.textContent.replace(/\s+/g, " ").trim();
  };
})();
