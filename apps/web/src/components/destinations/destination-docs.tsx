// A destination's documentation links, from its contract: the first `shown` ones, the rest behind a
// disclosure. Web addresses open in a new tab; a link into the Sluice repository (the webhook protocol) is
// named with its path, since the browser cannot open it.
import { BookOpen } from "lucide-react";

type Doc = { title: string; url: string };

export function DestinationDocs({ docs, shown = 2 }: { docs: Doc[]; shown?: number }) {
  if (docs.length === 0) return null;
  const first = docs.slice(0, shown);
  const rest = docs.slice(shown);
  return (
    <div className="text-xs">
      <ul className="flex flex-wrap gap-x-4 gap-y-1">
        {first.map((d) => (
          <li key={d.url} className="min-w-0">
            <DocLink doc={d} />
          </li>
        ))}
      </ul>
      {rest.length > 0 ? (
        <details className="mt-1">
          <summary className="cursor-pointer text-zinc-500 select-none hover:text-zinc-700">
            {rest.length} more API reference{rest.length === 1 ? "" : "s"}
          </summary>
          <ul className="mt-1 space-y-1">
            {rest.map((d) => (
              <li key={d.url}>
                <DocLink doc={d} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function DocLink({ doc }: { doc: Doc }) {
  if (/^https?:\/\//.test(doc.url)) {
    return (
      <a
        href={doc.url}
        target="_blank"
        rel="noreferrer"
        className="inline-flex items-center gap-1 font-medium text-brand-700 hover:text-brand-800"
      >
        <BookOpen className="size-3.5 shrink-0" aria-hidden /> {doc.title}
      </a>
    );
  }
  return (
    <span className="inline-flex items-center gap-1 text-zinc-500" title={`In the Sluice repository: ${doc.url}`}>
      <BookOpen className="size-3.5 shrink-0" aria-hidden /> {doc.title}
      <code className="truncate font-mono text-[11px] text-zinc-400">({doc.url.split("/").slice(-2).join("/")})</code>
    </span>
  );
}
