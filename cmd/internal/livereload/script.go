package livereload

import (
	"encoding/json"
	"html/template"
	"strings"
)

// script is the page side of the stream. It
//   - restores the reader's position saved before a reload: the stop
//     (section.stop) that was at the top of the window and how far into it,
//     or else the plain scroll offset; once now and again after the images
//     have loaded, since they move what is below them;
//   - on "reload" saves that position in sessionStorage, keyed by the
//     page's path, and reloads;
//   - on "version" (sent on every connect) reloads when the hub's version
//     is not the one the page was built at (none: no check);
//   - on "css" replaces each same-origin stylesheet link whose path differs
//     from a new path only by its content hash, inserting the new link
//     before removing the old one so the page never shows unstyled, and
//     adopts the new version;
//   - closes the stream when the page goes away. After a network error the
//     browser reconnects by itself, every second (retry: 1000).
//
// @E and @V are replaced with JSON string literals.
const script = `(()=>{const E=@E,K="dateline:"+location.pathname,S=sessionStorage,H=history;let v=@V,p=null;` +
	`const save=()=>{let id="",o=0;for(const s of document.querySelectorAll("section.stop[id]")){const t=s.getBoundingClientRect().top;if(t>0)break;id=s.id;o=-t}` +
	`try{S.setItem(K,JSON.stringify({id,o,y:scrollY}));H.scrollRestoration="manual"}catch(e){}};` +
	`try{p=JSON.parse(S.getItem(K));S.removeItem(K)}catch(e){}` +
	`if(p){const go=()=>{const s=p.id&&document.getElementById(p.id);scrollTo(0,s?s.getBoundingClientRect().top+scrollY+p.o:p.y)};go();` +
	`const done=()=>{go();H.scrollRestoration="auto"};document.readyState==="complete"?done():addEventListener("load",done)}` +
	`const reload=()=>{save();location.reload()},es=new EventSource(E);` +
	`es.addEventListener("version",e=>{if(v&&e.data!==v)reload()});` +
	`es.addEventListener("reload",reload);` +
	`es.addEventListener("css",e=>{const m=JSON.parse(e.data),k=u=>u.replace(/\.[0-9a-f]{6,64}(?=\.css$)/,"");v=m.version;` +
	`for(const q of m.paths)for(const l of document.querySelectorAll('link[rel~="stylesheet"]')){const u=new URL(l.href,location.href);` +
	`if(u.origin===location.origin&&u.pathname!==q&&k(u.pathname)===k(q)){const n=l.cloneNode();n.href=q;n.onload=n.onerror=()=>l.remove();l.after(n)}}});` +
	`addEventListener("pagehide",()=>es.close())})();`

// Script returns the inline <script> that connects a served page to the
// hub at endpoint (a path such as "/_dateline/events"). version is the
// build the page belongs to: the page reloads on connect when the hub is at
// another version. It is for pages the preview serves; build output never
// carries it.
func Script(endpoint, version string) template.HTML {
	js := strings.NewReplacer("@E", literal(endpoint), "@V", literal(version)).Replace(script)
	return template.HTML("<script>" + js + "</script>")
}

// literal returns s as a JavaScript string literal that is safe inside a
// <script> element: json.Marshal escapes <, > and &, and U+2028 and U+2029.
func literal(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
