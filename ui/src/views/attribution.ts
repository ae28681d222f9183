// The GeoIP database's licence (CC BY 4.0) asks for a credit wherever its results show.

import { el } from "../format";

/** "IP geolocation by DB-IP", linking to db-ip.com. */
export function attribution(openLink: (href: string) => void): HTMLElement {
  const line = el("p", "attribution", undefined, "geoip-attribution");
  const link = el("a", undefined, "IP geolocation by DB-IP");
  link.href = "https://db-ip.com";
  link.addEventListener("click", (event) => {
    event.preventDefault();
    openLink(link.href);
  });
  line.append(link);
  return line;
}
