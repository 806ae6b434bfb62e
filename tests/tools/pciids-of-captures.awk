# pciids-of-captures.awk PCICONF...: a pci.ids database (the format of
# pciids.h) of the names the given `pciconf -lv` captures show, for make
# check-live.  A live FreeBSD host reads names from its own database
# (/usr/share/misc/pci_vendors, as pciconf -lv does), which the shim's
# host models with the names the capture was taken with; the first
# capture that names an ID wins.
/^[a-z0-9_]*@pci[0-9]+:/ {
	ven = dev = ""
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^vendor=0x/) ven = substr($i, 10, 4)
		if ($i ~ /^device=0x/) dev = substr($i, 10, 4)
	}
	next
}
ven != "" && /^    vendor     = '/ {
	n = $0; sub(/^    vendor     = '/, "", n); sub(/'$/, "", n)
	if (!(ven in vname)) vname[ven] = n
	next
}
ven != "" && /^    device     = '/ {
	n = $0; sub(/^    device     = '/, "", n); sub(/'$/, "", n)
	if (!((ven, dev) in dname)) { dname[ven, dev] = n; devs[ven] = devs[ven] " " dev }
	next
}
END {
	for (v in vname) order[++nv] = v
	for (i = 1; i <= nv; i++)
		for (j = i + 1; j <= nv; j++)
			if (order[j] < order[i]) { t = order[i]; order[i] = order[j]; order[j] = t }
	for (i = 1; i <= nv; i++) {
		v = order[i]
		printf "%s  %s\n", v, vname[v]
		m = split(devs[v], d, " ")
		for (a = 1; a <= m; a++)
			for (b = a + 1; b <= m; b++)
				if (d[b] < d[a]) { t = d[a]; d[a] = d[b]; d[b] = t }
		for (a = 1; a <= m; a++)
			printf "\t%s  %s\n", d[a], dname[v, d[a]]
	}
}
