/* The survey page: takes the code from the address's fragment (and removes it from the
   address, so that it stays in no history) or as typed, opens the survey through the
   public endpoint, shows its questions and sends the answers. Every text it shows comes
   from the page (#texts), in the page's language. */
(function () {
  "use strict";

  const texts = JSON.parse(document.getElementById("texts").textContent);
  const language = document.documentElement.lang;
  const heading = document.getElementById("heading");
  const startHeading = heading.textContent;
  const intro = document.getElementById("intro");
  const status = document.getElementById("status");
  const codeForm = document.getElementById("code-form");
  const codeInput = document.getElementById("code");
  const answersForm = document.getElementById("answers");
  const questionsBox = document.getElementById("questions");
  const sendStatus = document.getElementById("send-status");
  const thanks = document.getElementById("thanks");
  const maxText = parseInt(answersForm.dataset.maxText, 10);

  let code = null; // the code of the survey shown
  let questions = []; // what build() made of each question
  let busy = false;
  // A send failed on the way back: the answers may have arrived all the same.
  let lostContact = false;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  function el(tag, properties, children) {
    const node = document.createElement(tag);
    Object.assign(node, properties || {});
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function say(region, content, kind) {
    region.textContent = "";
    region.className = "status" + (kind ? " " + kind : "");
    if (typeof content === "string") {
      region.textContent = content;
    } else if (content) {
      region.append(content);
    }
  }

  /* A message the person must read: shown, and the focus moved to it. */
  function announce(region, content, kind) {
    say(region, content, kind || "error");
    region.focus();
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "Accept-Language": language,
      },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    return { status: response.status, data: data };
  }

  function refusal(answer) {
    switch (answer.status) {
      case 404:
      case 422:
        return texts.unknown;
      case 409:
        return lostContact ? texts.usedAfterRetry : texts.used;
      case 410:
        // The server says which: not opened yet, or closed.
        return (answer.data && answer.data.message) || texts.closed;
      case 429:
        return texts.throttled;
      default:
        return texts.failed;
    }
  }

  /* --- The code ------------------------------------------------------------------- */

  function fragmentCode() {
    const fragment = window.location.hash.slice(1);
    if (!fragment) {
      return "";
    }
    // Out of the address bar and out of the history: only this page knows it now.
    history.replaceState(null, "", window.location.pathname + window.location.search);
    try {
      return decodeURIComponent(fragment);
    } catch (error) {
      return fragment;
    }
  }

  function showCodeForm(typed) {
    answersForm.hidden = true;
    questionsBox.textContent = "";
    questions = [];
    code = null;
    heading.textContent = startHeading;
    heading.removeAttribute("lang");
    intro.hidden = true;
    thanks.hidden = true;
    codeForm.hidden = false;
    codeInput.value = typed;
  }

  async function openSurvey(typed) {
    const candidate = typed.trim();
    if (busy) {
      return;
    }
    if (!candidate) {
      showCodeForm("");
      announce(status, texts.noCode);
      return;
    }
    const button = codeForm.querySelector("button");
    busy = true;
    button.disabled = true;
    say(status, texts.opening, "info");
    let answer;
    try {
      answer = await post(codeForm.dataset.url, { code: candidate });
    } catch (error) {
      answer = null;
    }
    busy = false;
    button.disabled = false;
    if (answer && answer.status === 200 && answer.data) {
      code = candidate;
      lostContact = false;
      show(answer.data);
      return;
    }
    // A code to correct or to try again stays in its box; a used code, or one of a
    // survey not open, is no use there.
    const spent = answer && (answer.status === 409 || answer.status === 410);
    showCodeForm(spent ? "" : candidate);
    announce(status, answer ? refusal(answer) : texts.offlineLookup);
  }

  /* --- The questions -------------------------------------------------------------- */

  function choicesOf(question) {
    if (question.kind === "scale") {
      return [1, 2, 3, 4, 5].map(function (n) {
        return { value: n, text: String(n) };
      });
    }
    if (question.kind === "yes_no") {
      return [
        { value: true, text: texts.yes },
        { value: false, text: texts.no },
      ];
    }
    return (question.options || []).map(function (option) {
      return { value: option, text: option, own: true };
    });
  }

  function buildText(fieldset, legend, name) {
    const counter = el("p", { className: "counter", id: name + "-counter" });
    const area = el("textarea", { id: name + "-text", name: name, rows: 5, maxLength: maxText });
    area.setAttribute("aria-labelledby", legend.id);
    area.setAttribute("aria-describedby", counter.id);
    function count() {
      counter.textContent = fill(texts.counter, { count: area.value.length, max: maxText });
    }
    area.addEventListener("input", count);
    area.addEventListener("change", count);
    count();
    fieldset.append(area, counter);
    return function () {
      return area.value.trim() ? area.value : null;
    };
  }

  function buildChoices(fieldset, legend, name, question, surveyLanguage) {
    const choices = choicesOf(question);
    const kinds = { scale: "scale", yes_no: "two", choice: "list" };
    const box = el("div", { className: "options " + kinds[question.kind] });
    const clear = el("button", { type: "button", className: "clear", hidden: true }, [
      texts.clear,
    ]);
    clear.setAttribute("aria-describedby", legend.id);
    choices.forEach(function (choice, index) {
      const input = el("input", { type: "radio", name: name, value: String(index) });
      const face = el("span", { className: "face" }, [choice.text]);
      if (choice.own) {
        face.lang = surveyLanguage;
      }
      const label = el("label", { className: "option" }, [input, face]);
      if (question.kind === "scale" && (index === 0 || index === choices.length - 1)) {
        const end = index === 0 ? texts.scaleLow : texts.scaleHigh;
        label.append(el("span", { className: "visually-hidden" }, [" – " + end]));
      }
      input.addEventListener("change", function () {
        clear.hidden = false;
      });
      box.append(label);
    });
    fieldset.append(box);
    if (question.kind === "scale") {
      const ends = el("div", { className: "scale-ends" }, [
        el("span", {}, [texts.scaleLow]),
        el("span", {}, [texts.scaleHigh]),
      ]);
      ends.setAttribute("aria-hidden", "true");
      fieldset.append(ends);
    }
    clear.addEventListener("click", function () {
      box.querySelectorAll("input").forEach(function (input) {
        input.checked = false;
      });
      clear.hidden = true;
      box.querySelector("input").focus();
    });
    fieldset.append(clear);
    return function () {
      const checked = box.querySelector("input:checked");
      return checked ? choices[Number(checked.value)].value : null;
    };
  }

  function build(question, index, surveyLanguage) {
    const name = "q" + (index + 1);
    const fieldset = el("fieldset", { className: "question", id: name });
    const legend = el("legend", { id: name + "-legend" }, [
      el("span", { className: "number" }, [index + 1 + ". "]),
      el("span", { lang: surveyLanguage }, [question.text]),
    ]);
    const error = el("p", { className: "error-text", id: name + "-error", hidden: true });
    fieldset.append(legend, error);
    const read =
      question.kind === "text"
        ? buildText(fieldset, legend, name)
        : buildChoices(fieldset, legend, name, question, surveyLanguage);
    questionsBox.append(fieldset);
    return { id: question.id, number: index + 1, fieldset: fieldset, error: error, read: read };
  }

  function show(survey) {
    codeForm.hidden = true;
    codeInput.value = "";
    say(status, "");
    say(sendStatus, "");
    heading.textContent = survey.title;
    heading.lang = survey.language;
    intro.textContent = survey.intro || "";
    intro.lang = survey.language;
    intro.hidden = !survey.intro;
    questionsBox.textContent = "";
    questions = survey.questions.map(function (question, index) {
      return build(question, index, survey.language);
    });
    thanks.hidden = true;
    answersForm.hidden = false;
    heading.focus();
  }

  /* --- Sending -------------------------------------------------------------------- */

  function clearErrors() {
    questions.forEach(function (question) {
      question.error.hidden = true;
      question.error.textContent = "";
      question.fieldset.classList.remove("invalid");
      question.fieldset.removeAttribute("aria-describedby");
    });
  }

  function showErrors(data) {
    const fields = (data && data.errors && data.errors.json) || {};
    const perQuestion = fields.answers && !Array.isArray(fields.answers) ? fields.answers : {};
    const lines = [];
    questions.forEach(function (question) {
      const messages = perQuestion[question.id];
      if (!messages) {
        return;
      }
      const text = [].concat(messages).join(" ");
      question.error.textContent = text;
      question.error.hidden = false;
      question.fieldset.classList.add("invalid");
      question.fieldset.setAttribute("aria-describedby", question.error.id);
      lines.push(fill(texts.question, { number: question.number }) + ": " + text);
    });
    Object.keys(fields).forEach(function (field) {
      if (Array.isArray(fields[field])) {
        fields[field].forEach(function (message) {
          lines.push(String(message));
        });
      }
    });
    if (!lines.length) {
      lines.push((data && data.message) || texts.failed);
    }
    const summary = el("div", {}, [
      el("p", {}, [texts.invalid]),
      el(
        "ul",
        {},
        lines.map(function (line) {
          return el("li", {}, [line]);
        }),
      ),
    ]);
    announce(sendStatus, summary);
  }

  function done() {
    code = null;
    lostContact = false;
    questions = [];
    // Nothing of the answers stays in the page.
    answersForm.hidden = true;
    questionsBox.textContent = "";
    say(sendStatus, "");
    intro.hidden = true;
    say(status, "");
    thanks.hidden = false;
    document.getElementById("thanks-heading").focus();
  }

  async function send(event) {
    event.preventDefault();
    if (busy || !code) {
      return;
    }
    clearErrors();
    const answers = {};
    questions.forEach(function (question) {
      const value = question.read();
      if (value !== null) {
        answers[question.id] = value;
      }
    });
    const button = answersForm.querySelector("button[type=submit]");
    busy = true;
    button.disabled = true;
    say(sendStatus, texts.sending, "info");
    let answer;
    try {
      answer = await post(answersForm.dataset.url, { code: code, answers: answers });
    } catch (error) {
      answer = null;
    }
    busy = false;
    button.disabled = false;
    if (!answer) {
      // Everything chosen and written stays where it is; sending again is one press.
      lostContact = true;
      announce(sendStatus, texts.offlineSend);
    } else if (answer.status === 201) {
      done();
    } else if (answer.status === 422) {
      showErrors(answer.data);
    } else if (answer.status === 409 || answer.status === 410) {
      // This code gives no answer now: the form goes.
      const message = refusal(answer);
      showCodeForm("");
      say(sendStatus, "");
      announce(status, message);
    } else {
      announce(sendStatus, refusal(answer));
    }
  }

  /* --- Start ---------------------------------------------------------------------- */

  codeForm.addEventListener("submit", function (event) {
    event.preventDefault();
    openSurvey(codeInput.value);
  });
  answersForm.addEventListener("submit", send);
  // A code opened while the page is open (a second slip scanned into this tab).
  window.addEventListener("hashchange", function () {
    const fresh = fragmentCode();
    if (fresh) {
      openSurvey(fresh);
    }
  });

  codeForm.hidden = false;
  const fromAddress = fragmentCode();
  if (fromAddress) {
    openSurvey(fromAddress);
  }
})();
