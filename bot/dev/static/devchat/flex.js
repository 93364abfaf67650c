// Renders LINE message objects (text, image, Flex) as DOM nodes, laid out the way the LINE app does,
// close enough to judge a card. Every piece of bot text goes in through textContent, never as HTML.
"use strict";

const DevFlex = (() => {
  // LINE's keyword scales, from the Flex Message reference.
  const SPACING = { none: "0px", xs: "2px", sm: "4px", md: "8px", lg: "12px", xl: "16px", xxl: "20px" };
  const TEXT_SIZE = {
    xxs: "11px", xs: "13px", sm: "14px", md: "16px", lg: "19px", xl: "22px",
    xxl: "29px", "3xl": "35px", "4xl": "48px", "5xl": "74px",
  };
  const IMAGE_SIZE = {
    xxs: "40px", xs: "60px", sm: "80px", md: "100px", lg: "120px", xl: "140px", xxl: "160px",
    "3xl": "180px", "4xl": "200px", "5xl": "240px", full: "100%",
  };
  const BUBBLE_WIDTH = {
    nano: "120px", micro: "160px", deca: "220px", hecto: "241px", kilo: "260px", mega: "300px", giga: "386px",
  };
  const BORDER = { none: "0px", light: "0.5px", normal: "1px", medium: "2px", "semi-bold": "3px", bold: "4px" };
  const ALIGN = { start: "flex-start", end: "flex-end", center: "center" };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Keywords map through a scale; "12px" and "50%" pass through (the style setter drops anything invalid).
  const size = (value, scale) => (value === undefined ? undefined : scale[value] || value);

  function safeUrl(url) {
    return typeof url === "string" && /^(https?:|data:image\/)/.test(url) ? url : "";
  }

  function renderMessage(message, onAction) {
    switch (message.type) {
      case "text":
        return el("div", "msg msg-text", message.text);
      case "image": {
        const img = el("img", "msg msg-image");
        img.src = safeUrl(message.previewImageUrl || message.originalContentUrl);
        img.alt = "รูปภาพ";
        return img;
      }
      case "flex": {
        const node = container(message.contents, onAction);
        node.title = message.altText || "";
        return node;
      }
      case "sticker":
        return el("div", "msg msg-text msg-other", "[สติกเกอร์]");
      default:
        return el("div", "msg msg-text msg-other", `[${message.type}] ${message.altText || ""}`);
    }
  }

  function container(contents, onAction) {
    if (contents.type === "carousel") {
      const row = el("div", "fx-carousel");
      for (const item of contents.contents || []) row.append(bubble(item, onAction));
      return row;
    }
    return bubble(contents, onAction);
  }

  function bubble(spec, onAction) {
    const node = el("div", "fx-bubble");
    node.style.width = size(spec.size || "mega", BUBBLE_WIDTH);
    if (spec.direction === "rtl") node.dir = "rtl";
    const styles = spec.styles || {};
    for (const name of ["header", "hero", "body", "footer"]) {
      if (!spec[name]) continue;
      const block = el("div", `fx-block fx-${name}`);
      const style = styles[name] || {};
      if (style.backgroundColor) block.style.backgroundColor = style.backgroundColor;
      if (style.separator) block.style.borderTop = `1px solid ${style.separatorColor || "#d4d6da"}`;
      // A hero is any component; the other blocks are boxes, whose own background fills the block.
      const inner = component(spec[name], "vertical", onAction);
      if (spec[name].backgroundColor) block.style.backgroundColor = spec[name].backgroundColor;
      block.append(inner);
      node.append(block);
    }
    return node;
  }

  function component(spec, parentLayout, onAction) {
    const make = { box, text, separator, button, image, icon, filler, spacer: filler }[spec.type];
    const node = make ? make(spec, onAction) : el("div", "fx-unknown", `[${spec.type}]`);
    place(node, spec, parentLayout);
    if (spec.action && spec.type !== "button") tappable(node, spec.action, onAction);
    return node;
  }

  // Flex sizing and absolute offsets, shared by every component. In a horizontal or baseline box a
  // component takes flex 1 unless told otherwise; in a vertical box, flex 0 (LINE's defaults).
  function place(node, spec, parentLayout) {
    const horizontal = parentLayout !== "vertical";
    const fixed = spec.type === "separator" || spec.width !== undefined;
    const grow = spec.flex !== undefined ? spec.flex : spec.type === "filler" || (horizontal && !fixed) ? 1 : 0;
    node.style.flex = grow > 0 ? `${grow} 1 0px` : "0 0 auto";
    if (spec.gravity && horizontal) node.style.alignSelf = ALIGN[{ top: "start", bottom: "end" }[spec.gravity] || "center"];
    if (spec.position === "absolute") node.style.position = "absolute";
    const offsets = [["offsetTop", "top"], ["offsetBottom", "bottom"], ["offsetStart", "insetInlineStart"], ["offsetEnd", "insetInlineEnd"]];
    for (const [prop, css] of offsets) {
      if (spec[prop] !== undefined) node.style[css] = size(spec[prop], SPACING);
    }
  }

  function box(spec, onAction) {
    const layout = spec.layout || "vertical";
    const node = el("div", `fx-box fx-${layout}`);
    const style = node.style;
    for (const prop of ["width", "height", "maxWidth", "maxHeight"]) {
      if (spec[prop]) style[prop] = spec[prop];
    }
    if (spec.backgroundColor) style.backgroundColor = spec.backgroundColor;
    if (spec.background && spec.background.type === "linearGradient") {
      const bg = spec.background;
      style.backgroundImage = `linear-gradient(${bg.angle || "0deg"}, ${bg.startColor}, ${bg.endColor})`;
    }
    if (spec.borderWidth || spec.borderColor) {
      style.border = `${size(spec.borderWidth || "normal", BORDER)} solid ${spec.borderColor || "#000000"}`;
    }
    if (spec.cornerRadius) {
      style.borderRadius = size(spec.cornerRadius, SPACING);
      style.overflow = "hidden";
    }
    if (spec.paddingAll !== undefined) style.padding = size(spec.paddingAll, SPACING);
    const paddings = [["paddingTop", "paddingTop"], ["paddingBottom", "paddingBottom"], ["paddingStart", "paddingInlineStart"], ["paddingEnd", "paddingInlineEnd"]];
    for (const [prop, css] of paddings) {
      if (spec[prop] !== undefined) style[css] = size(spec[prop], SPACING);
    }
    // LINE's justifyContent and alignItems values are CSS's own.
    if (spec.justifyContent) style.justifyContent = spec.justifyContent;
    if (spec.alignItems) style.alignItems = spec.alignItems;
    (spec.contents || []).forEach((child, index) => {
      const childNode = component(child, layout, onAction);
      // LINE puts `spacing` between children; a child's own `margin` replaces it before that child.
      const gap = child.margin !== undefined ? child.margin : spec.spacing;
      if (gap !== undefined && index > 0 && child.position !== "absolute") {
        childNode.style[layout === "vertical" ? "marginTop" : "marginInlineStart"] = size(gap, SPACING);
      }
      node.append(childNode);
    });
    return node;
  }

  function text(spec) {
    const node = el("div", "fx-text");
    if (Array.isArray(spec.contents) && spec.contents.length) {
      for (const span of spec.contents) node.append(styledText(el("span", "", span.text || ""), span));
    } else {
      node.textContent = spec.text || "";
    }
    styledText(node, spec);
    node.classList.add(spec.wrap ? "fx-wrap" : "fx-nowrap");
    if (spec.align) node.style.textAlign = spec.align;
    if (spec.maxLines) {
      node.classList.add("fx-clamp");
      node.style.webkitLineClamp = String(spec.maxLines);
    }
    if (spec.lineSpacing) node.style.lineHeight = `calc(1.4em + ${spec.lineSpacing})`;
    return node;
  }

  function styledText(node, spec) {
    if (spec.size) node.style.fontSize = size(spec.size, TEXT_SIZE);
    if (spec.weight === "bold") node.style.fontWeight = "bold";
    if (spec.style === "italic") node.style.fontStyle = "italic";
    if (spec.color) node.style.color = spec.color;
    if (spec.decoration && spec.decoration !== "none") node.style.textDecoration = spec.decoration;
    return node;
  }

  function separator(spec) {
    const node = el("div", "fx-separator");
    if (spec.color) node.style.borderColor = spec.color;
    return node;
  }

  function button(spec, onAction) {
    const action = spec.action || {};
    const style = spec.style || "link";
    const node = el("button", `fx-button fx-button-${style} fx-button-${spec.height || "md"}`, action.label || "");
    node.type = "button";
    if (spec.color) node.style[style === "link" ? "color" : "backgroundColor"] = spec.color;
    node.addEventListener("click", () => onAction(action));
    return node;
  }

  function image(spec) {
    const frame = el("div", "fx-image");
    frame.style.justifyContent = ALIGN[spec.align || "center"];
    const img = el("img");
    img.src = safeUrl(spec.url);
    img.alt = "";
    img.style.width = size(spec.size || "md", IMAGE_SIZE);
    img.style.aspectRatio = (spec.aspectRatio || "1:1").replace(":", " / ");
    img.style.objectFit = spec.aspectMode === "cover" ? "cover" : "contain";
    if (spec.backgroundColor) img.style.backgroundColor = spec.backgroundColor;
    frame.append(img);
    return frame;
  }

  function icon(spec) {
    const img = el("img", "fx-icon");
    img.src = safeUrl(spec.url);
    img.alt = "";
    img.style.height = img.style.width = size(spec.size || "md", TEXT_SIZE);
    return img;
  }

  function filler() {
    return el("div", "fx-filler");
  }

  function tappable(node, action, onAction) {
    node.classList.add("fx-tappable");
    node.addEventListener("click", () => onAction(action));
  }

  return { renderMessage };
})();
