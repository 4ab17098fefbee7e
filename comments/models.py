from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Comment(models.Model):
    """A reader comment on an incident, with the auto-moderation decision and its reasons."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), blank=True)  # never shown publicly
    text = models.TextField(_("text"))  # plain text, sanitised before storing
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reasons = models.JSONField(_("moderation reasons"), default=list, blank=True)
    spam_score = models.FloatField(_("spam score"), default=0)
    rejection_reason = models.CharField(_("rejection reason"), max_length=30, blank=True)
    # Salted hashes: enough to ban and rate-limit, never the address in clear.
    address_hash = models.CharField(_("address hash"), max_length=64)
    email_hash = models.CharField(_("email hash"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    report_count = models.PositiveIntegerField(_("reader reports"), default=0)
    # Set by the first open reader report, cleared when a moderator acts: the reported queue.
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True, db_index=True)
    # True while a human has not looked at it: held comments, and post-moderated comments that
    # are already visible. This is the pending queue.
    needs_review = models.BooleanField(_("awaiting review"), default=True)
    # True from the reader's post until the auto-moderation task has decided (status stays
    # pending meanwhile, out of every moderator queue): the request only stores the comment.
    awaiting_checks = models.BooleanField(_("awaiting automatic checks"), default=False)
    # Hash of the normalised text, to find repeat posts with one indexed lookup.
    fingerprint = models.CharField(_("text fingerprint"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="comment_queue"),
            models.Index(fields=["incident", "status", "created_at"], name="comment_incident"),
            models.Index(fields=["needs_review", "created_at"], name="comment_review"),
            models.Index(
                fields=["incident", "needs_review", "created_at"], name="comment_incident_review"
            ),
            # Repeat posts, a reader's history and bans look comments up by these; composite so
            # SQLite (which has no statistics) never prefers a broader index.
            models.Index(fields=["fingerprint", "created_at"], name="comment_fingerprint"),
            models.Index(fields=["address_hash", "status", "created_at"], name="comment_author"),
            models.Index(
                fields=["email_hash", "status", "created_at"], name="comment_author_email"
            ),
            # The sweep finds comments whose auto-moderation task was lost.
            models.Index(
                fields=["created_at"],
                name="comment_awaiting_checks",
                condition=models.Q(awaiting_checks=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:60]}"


class OfficialReply(models.Model):
    """The newsroom's answer under a comment, shown highlighted on the public page."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("text"))
    canned_reply = models.ForeignKey(
        "comments.CannedReply",
        verbose_name=_("canned reply"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("official reply")
        verbose_name_plural = _("official replies")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class CannedReply(models.Model):
    """A prepared answer to a frequent reader question, with placeholders."""

    category = models.CharField(_("category"), max_length=60)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    question = models.CharField(_("typical question"), max_length=300)
    keywords = models.TextField(
        _("other phrasings"),
        blank=True,
        help_text=_("Other ways readers ask this question, one per line: used to suggest it."),
    )
    text = models.TextField(
        _("reply"),
        help_text=_(
            "Placeholders such as {service}, {status} or {official_links} are filled from the "
            "incident, in the reply's language."
        ),
    )
    use_count = models.PositiveIntegerField(_("times used"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["language", "category"]

    def __str__(self) -> str:
        return f"[{self.language}] {self.category}"


class ModerationWord(models.Model):
    """A banned (reject) or suspect (hold) word, matched on word boundaries."""

    class Action(models.TextChoices):
        BANNED = "banned", _("Banned: reject")
        SUSPECT = "suspect", _("Suspect: hold for review")

    word = models.CharField(_("word"), max_length=80)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)

    class Meta:
        verbose_name = _("moderation word")
        verbose_name_plural = _("moderation words")
        ordering = ["language", "word"]
        constraints = [
            models.UniqueConstraint(fields=["word", "language"], name="moderationword_unique")
        ]

    def __str__(self) -> str:
        return self.word


class Ban(models.Model):
    """A banned commenter, by hashed address and/or hashed email."""

    address_hash = models.CharField(_("address hash"), max_length=64, blank=True, db_index=True)
    email_hash = models.CharField(_("email hash"), max_length=64, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.address_hash[:8] or self.email_hash[:8]} ({self.reason})"


class CommentReport(models.Model):
    """A reader's report of an approved comment; one per reader (hashed address) and comment."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    address_hash = models.CharField(_("address hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "address_hash"], name="commentreport_once_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.comment_id} ({self.created_at:%Y-%m-%d %H:%M})"


class ModerationAction(models.Model):
    """One moderator action on one or more comments, kept so it can be undone.

    `before` and `after` hold each comment's moderation fields; undo restores `before` only for
    comments still in the `after` state, so it never overwrites what someone did since.
    """

    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        SPAM = "spam", _("Mark as spam")
        BAN = "ban", _("Ban the commenter")
        REPLY = "reply", _("Approve with an official reply")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("action"), max_length=10, choices=Kind.choices)
    before = models.JSONField(_("state before"), default=list)
    after = models.JSONField(_("state after"), default=list)
    ban_ids = models.JSONField(_("bans created"), default=list, blank=True)
    reply = models.ForeignKey(
        OfficialReply,
        verbose_name=_("official reply"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    canned_reply = models.ForeignKey(
        CannedReply,
        verbose_name=_("canned reply"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "undone_at", "-created_at"], name="modaction_undo")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({len(self.after)})"
