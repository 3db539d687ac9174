# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the container end-to-end tests (sourced by tests/suites/41-containers).

HX=${HX:-$PWD/$O/dom0-tools/hx/hx}
T=$(mktemp -d /tmp/hx-ct-test.XXXXXX)
chmod 711 "$T"
export HOSPES_CT_ROOT=$T/state
export HOSPES_CT_CGROUP=hospes-test-$$
CGP=$HOSPES_CT_CGROUP
NETNS=hxct-test-$$
fails=0

ok() { echo "ok - $*"; }
nok() {
	echo "not ok - $*"
	fails=$((fails + 1))
}
skip() { echo "ok - $1 # SKIP $2"; }
# check "description" command...: ok if the command succeeds
check() {
	local d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}
# expect_eq "description" expected actual
expect_eq() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		nok "$1"
		echo "#   expected: $(printf %q "$2")"
		echo "#   got:      $(printf %q "$3")"
	fi
}

hx() { "$HX" container "$@"; }
# wait_for command...: polls up to 5 s until the command succeeds
wait_for() {
	local i
	for i in $(seq 50); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
logs_have() { hx logs "$1" | grep -q -- "$2"; }
ct_procs() { pgrep -f "marker-$1([^a-z0-9]|\$)"; }
join() { tr '\n' ' ' | sed 's/ $//'; }
nshx() { nsenter --net=/run/netns/"$NETNS" "$HX" container "$@"; }

# def NAME: writes the definition read from stdin to $T/NAME.xml
def() { cat >"$T/$1.xml"; }

# A definition running one shell command line in the busybox layer.
def_sh() {
	local name=$1 cmd=$2 extra=${3:-}
	def "$name" <<EOF
<container name="$name">
  <hostname>$name-host</hostname>
  <rootfs><layer>busybox</layer></rootfs>
  <init><arg>/bin/sh</arg><arg>-c</arg><arg>$cmd</arg></init>
  $extra
</container>
EOF
}

# Every cgroup directory of container $1 (v1 hierarchies or v2), existing or not.
cg_dirs() {
	local m
	for m in $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts); do
		echo "$m/$CGP/$1"
	done
}
# cg_file NAME KNOB: the first existing cgroup file KNOB of container NAME
cg_file() {
	local d
	for d in $(cg_dirs "$1"); do
		[ -e "$d/$2" ] && { echo "$d/$2"; return 0; }
	done
	return 1
}
# Leftovers of container $1 on the host: cgroups, veth, mounts, state, processes.
leftovers() {
	local d veth
	for d in $(cg_dirs "$1"); do [ -d "$d" ] && echo "cgroup $d"; done
	veth=$(ip -o link 2>/dev/null | grep -o 'hx[0-9a-f]\{8\}' || true)
	[ -z "$veth" ] || echo "veth $veth (host netns)"
	if [ -e /run/netns/"$NETNS" ]; then
		veth=$(ip -n "$NETNS" -o link | grep -o 'hx[0-9a-f]\{8\}' || true)
		[ -z "$veth" ] || echo "veth $veth (test netns)"
	fi
	grep -F "$T/state/$1/" /proc/mounts | sed 's/^/mount /'
	[ -e "$T/state/$1" ] && echo "state $T/state/$1"
	ls -d "$T"/state/.tmp-"$1"-* 2>/dev/null | sed 's/^/tmp /'
	pgrep -f "marker-$1([^a-z0-9]|\$)" | sed 's/^/process /'
	true
}
no_leftovers() {
	local l
	l=$(leftovers "$1")
	[ -z "$l" ] || { echo "$l" | sed 's/^/#   left: /'; return 1; }
}

cleanup() {
	local n d
	for n in $(ls "$T/state" 2>/dev/null); do
		"$HX" container destroy -f "$n" >/dev/null 2>&1 ||
			nsenter --net=/run/netns/"$NETNS" "$HX" container destroy -f "$n" >/dev/null 2>&1
	done
	[ -e /run/netns/"$NETNS" ] && ip netns del "$NETNS"
	for d in $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts); do
		[ -d "$d/$CGP" ] && rmdir "$d/$CGP"/* "$d/$CGP" 2>/dev/null
	done
	umount "$T/hostmark" 2>/dev/null
	rm -rf "$T"
}

# Builds a busybox root filesystem from Debian's busybox-static.
make_rootfs() {
	local r=$1 a
	mkdir -p "$r"/{bin,etc,tmp,proc,sys,dev,root,mnt,data}
	cp /bin/busybox "$r/bin/busybox"
	for a in $("$r/bin/busybox" --list); do
		[ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"
	done
	chmod 1777 "$r/tmp"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
	echo 'root:x:0:' >"$r/etc/group"
}

# Host feature probes: print nothing if available, else the reason.
probe_ns() { unshare --user --pid --net --mount --uts --ipc --cgroup --fork true 2>&1 | head -1 || true; }
probe_overlay() { grep -qw overlay /proc/filesystems || echo "no overlay filesystem in this kernel"; }
probe_cgroup() {
	local m v2
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	if [ -n "$v2" ] && grep -qw memory "$v2/cgroup.controllers" 2>/dev/null &&
		grep -qw pids "$v2/cgroup.controllers"; then
		return
	fi
	for m in memory pids freezer; do
		awk '$3 == "cgroup"' /proc/self/mounts | grep -qw "$m" || echo "no $m cgroup controller"
	done
}
probe_veth() {
	local ns=hxct-probe-$$ r=""
	ip netns add $ns 2>/dev/null || { echo "cannot create network namespaces"; return; }
	ip -n $ns link add hxpb0 type bridge 2>/dev/null || r="no bridge support"
	ip -n $ns link add hxpv0 type veth peer name hxpv1 2>/dev/null || r="${r:-no veth support}"
	ip netns del $ns
	echo -n "$r"
}

# for checks that run in "bash -c"
export -f hx nshx no_leftovers leftovers cg_dirs wait_for logs_have ct_procs
export HX NETNS T CGP
