// The chat simulator page: each persona is its own LINE user with its own transcript, as if each had a
// phone. Everything reaches the bot through /dev/send, which signs a webhook event and posts it to /callback.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const urls = document.body.dataset;
  const chats = new Map(); // LINE user id → { persona, log, quick }
  let current = null;

  async function api(url, payload) {
    const init = payload === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
    };
    const response = await fetch(url, init);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
    return data;
  }

  function add(chat, side, node) {
    const row = document.createElement("div");
    row.className = `row row-${side}`;
    row.append(node);
    chat.log.append(row);
    row.scrollIntoView({ block: "end" });
  }

  function note(chat, text) {
    const node = document.createElement("div");
    node.className = "note";
    node.textContent = text;
    add(chat, "note", node);
  }

  const isBusy = () => document.body.classList.contains("busy");

  // One exchange at a time, as on a phone: the controls are off until the bot has answered.
  async function whileBusy(task) {
    for (const id of ["text", "send", "open", "role", "province"]) $(id).disabled = true;
    document.body.classList.add("busy");
    try {
      await task();
    } finally {
      for (const id of ["text", "send", "open", "role", "province"]) $(id).disabled = false;
      document.body.classList.remove("busy");
      $("text").focus();
    }
  }

  // Sends one event for the current persona; `shown` is what LINE shows on the user's side (may be empty).
  async function deliver(event, shown) {
    const chat = current;
    if (shown) add(chat, "user", Object.assign(document.createElement("div"), { className: "msg msg-text", textContent: shown }));
    showQuick(chat, []);
    try {
      const answer = await api(urls.send, { user: chat.persona.user, ...event });
      if (answer.status !== 200) note(chat, `/callback ตอบ HTTP ${answer.status}`);
      if (!answer.messages.length) note(chat, "(บอทไม่ได้ตอบ)");
      for (const message of answer.messages) add(chat, "bot", DevFlex.renderMessage(message, tap));
      // LINE shows the quick replies of the last message only, until the user sends something.
      const last = answer.messages[answer.messages.length - 1];
      showQuick(chat, (last && last.quickReply && last.quickReply.items) || []);
    } catch (error) {
      note(chat, `ส่งไม่สำเร็จ: ${error.message}`);
    }
  }

  // What LINE sends when a Flex button or quick-reply chip is tapped.
  function tap(action) {
    if (isBusy()) return;
    if (action.type === "message") return whileBusy(() => deliver({ text: action.text }, action.text));
    if (action.type === "postback") return whileBusy(() => deliver({ postback: action.data }, action.displayText || ""));
    if (action.type === "uri" && /^https?:/.test(action.uri)) return window.open(action.uri, "_blank", "noopener");
    note(current, `หน้าจำลองยังไม่รองรับการกระทำแบบ ${action.type}`);
  }

  function showQuick(chat, items) {
    chat.quick = items;
    if (chat !== current) return;
    const chips = items.map((item) => {
      const chip = Object.assign(document.createElement("button"), { type: "button", className: "chip", textContent: item.action.label });
      chip.addEventListener("click", () => tap(item.action));
      return chip;
    });
    $("quick").replaceChildren(...chips);
  }

  function selectedPersona() {
    const role = $("role").value;
    const officer = role === "officer";
    const option = officer ? $("province").selectedOptions[0] : $("role").selectedOptions[0];
    const province = officer ? $("province").value : "";
    const label = officer ? `เจ้าหน้าที่ สพจ.${province}` : option.textContent;
    return { role, province, label, user: option.dataset.user };
  }

  async function open(persona) {
    const isNew = !chats.has(persona.user);
    if (isNew) chats.set(persona.user, { persona, log: Object.assign(document.createElement("div"), { className: "transcript" }), quick: [] });
    current = chats.get(persona.user);
    $("log").replaceChildren(current.log);
    $("who").textContent = `${persona.label} · LINE user ${persona.user}`;
    showQuick(current, current.quick);
    if (!isNew) return;
    // As on a phone: the person adds the bot as a friend, then registers with a code from the admin.
    note(current, `${persona.label} เพิ่มบอทเป็นเพื่อน`);
    await deliver({ follow: true }, "");
    if (persona.role === "guest") return;
    try {
      const status = await api(`${urls.userStatus}?id=${encodeURIComponent(persona.user)}`);
      if (status.registered) return;
      const { code } = await api(urls.invite, { role: persona.role, province: persona.province });
      note(current, `ผู้ดูแลระบบออกรหัสลงทะเบียนให้: ${code}`);
      await deliver({ text: `ลงทะเบียน ${code}` }, `ลงทะเบียน ${code}`);
    } catch (error) {
      note(current, `ลงทะเบียนไม่สำเร็จ: ${error.message}`);
    }
  }

  $("role").addEventListener("change", () => { $("province-label").hidden = $("role").value !== "officer"; });
  $("persona").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!isBusy()) whileBusy(() => open(selectedPersona()));
  });
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value.trim();
    if (!text || !current || isBusy()) return;
    $("text").value = "";
    whileBusy(() => deliver({ text }, text));
  });
})();
