// Infinite scroll for the gallery page. Without JavaScript the "More
// photos" link is an ordinary link to the next page; here, when it comes
// near the viewport, the next page is fetched and its tiles are appended
// in place, so the server renders every tile the same way.
(() => {
  const grid = document.getElementById('grid');
  let next = document.getElementById('next');
  if (!grid || !next || !('IntersectionObserver' in window)) return;

  let loading = false;
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) loadNext();
  }, { rootMargin: '600px 0px' });

  async function loadNext() {
    if (loading || !next) return;
    loading = true;
    try {
      const response = await fetch(next.href, { headers: { Accept: 'text/html' } });
      if (!response.ok) throw new Error(`next page answered ${response.status}`);
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      for (const tile of page.querySelectorAll('#grid > li')) {
        grid.append(document.adoptNode(tile));
      }
      observer.unobserve(next);
      const following = page.getElementById('next');
      if (following) {
        next.replaceWith(document.adoptNode(following));
        next = document.getElementById('next');
        observer.observe(next);
      } else {
        const end = page.querySelector('.end');
        next.closest('nav').replaceWith(end ? document.adoptNode(end) : '');
        next = null;
      }
    } catch (error) {
      // The link stays: a tap still opens the next page the plain way.
      console.warn('could not load more photos:', error);
    } finally {
      loading = false;
    }
  }

  observer.observe(next);
})();
